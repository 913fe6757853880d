package dev.eventsource.autoconfigure.upcast;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application whose events changed shape: the {@link Wallet} aggregate, the {@link NoteTitles} projection and
 * their upcaster beans ({@link WalletUpcasters}, {@link NoteUpcasters}), found by component scanning.
 */
@SpringBootApplication
public class UpcastApplication {
}
