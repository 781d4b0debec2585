package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.awaitj.Aio;
import org.junit.jupiter.api.Test;

/** Private members of the user's class work in @Async bodies without widening their visibility. */
class PrivateMembersTest {
  @Test
  void privateFieldsAndMethodsInstanceAndStatic() {
    Compiled c = Compiled.compile("""
        package priv;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.util.ArrayList;
        import java.util.List;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Account {
          private int balance;
          private final List<String> history = new ArrayList<>();
          private static int accounts = 0;

          protected Account(int opening) {
            balance = opening;
            accounts = accounts + 1;
          }

          private void record(String what) {
            history.add(what);
          }

          private static String format(int amount) {
            return "$" + amount;
          }

          private int fee(int amount) {
            return amount / 100;
          }

          @Async
          Coroutine<String> deposit(int amount) {
            await(Aio.sleep(10));
            balance = balance + amount - fee(await(Aio.sleep(java.time.Duration.ofMillis(1), amount)));
            this.record("deposit " + format(amount));
            Account other = this;
            other.balance = other.balance + 0;
            return done(format(balance) + " " + history + " of " + accounts);
          }
        }
        """);
    Object account = c.instantiate("priv.AccountAsync", 1000);
    assertEquals("$1495 [deposit $500] of 1", Aio.runVirtual(Compiled.call(account, "deposit", 500)));
  }

  @Test
  void superCallsReachTheSuperclassImplementation() {
    Compiled c = Compiled.compile("""
        package sup;

        public class Base {
          protected String label = "base";

          public String describe(String who) {
            return "Base describes " + who;
          }
        }
        """, """
        package sup;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Derived extends Base {
          protected String label = "derived";

          @Override
          public String describe(String who) {
            return "Derived describes " + who;
          }

          @Async
          Coroutine<String> both(String who) {
            String mine = describe(who);
            String theirs = super.describe(await(Aio.done(who)));
            return done(mine + " / " + theirs + " / " + super.label + " / " + label);
          }
        }
        """);
    Object d = c.instantiate("sup.DerivedAsync");
    assertEquals("Derived describes x / Base describes x / base / derived",
        Aio.runVirtual(Compiled.call(d, "both", "x")));
  }
}
