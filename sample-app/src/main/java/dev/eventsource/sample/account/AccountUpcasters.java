package dev.eventsource.sample.account;

import dev.eventsource.upcast.Upcaster;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reads money events stored before they carried a currency: revision 1 held {@code {"amount": 100.50}}, always in
 * euros; revision 2 holds {@code {"money": {"amount": 100.50, "currency": "EUR"}}}. The starter adds every
 * {@link Upcaster} bean to its serializer and checks the chains at start-up.
 */
@Configuration(proxyBeanMethods = false)
class AccountUpcasters {

    @Bean
    Upcaster moneyDepositedWithCurrency() {
        return withCurrency("MoneyDeposited");
    }

    @Bean
    Upcaster moneyWithdrawnWithCurrency() {
        return withCurrency("MoneyWithdrawn");
    }

    private static Upcaster withCurrency(String type) {
        return Upcaster.from(type, 1)
                .moveField("amount", "money.amount")
                .addField("money.currency", Account.CURRENCY);
    }
}
