/** A bank account: the aggregate with a rule that refuses commands (no overdraft). */
package dev.eventsource.sample.account;
