package dev.eventsource.autoconfigure.upcast;

import dev.eventsource.upcast.Upcaster;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The two steps up from {@link Wallet.Deposited} revision 1 to today's revision 3, as beans. */
@Configuration(proxyBeanMethods = false)
public class WalletUpcasters {

    /** @return revision 1 to 2: the amount moves into {@code money}, whose currency was always EUR */
    @Bean
    public static Upcaster depositedRevision1() {
        return Upcaster.from("Deposited", 1).moveField("amount", "money.amount").addField("money.currency", "EUR");
    }

    /** @return revision 2 to 3: {@code note} is renamed {@code memo} */
    @Bean
    public static Upcaster depositedRevision2() {
        return Upcaster.from("Deposited", 2).renameField("note", "memo");
    }
}
