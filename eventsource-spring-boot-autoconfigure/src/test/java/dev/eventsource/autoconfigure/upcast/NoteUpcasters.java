package dev.eventsource.autoconfigure.upcast;

import dev.eventsource.upcast.Upcaster;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The step up from {@link Noted} revision 1, whose class only a projection binds. */
@Configuration(proxyBeanMethods = false)
public class NoteUpcasters {

    /** @return revision 1 to 2: {@code subject} is renamed {@code title} */
    @Bean
    public static Upcaster notedRevision1() {
        return Upcaster.from("Noted", 1).renameField("subject", "title");
    }
}
