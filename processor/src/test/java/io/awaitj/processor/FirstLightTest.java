package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.awaitj.Aio;
import org.junit.jupiter.api.Test;

class FirstLightTest {
  @Test
  void instanceAndStaticMethodsRun() {
    Compiled c = Compiled.compile("""
        package demo;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import java.time.Duration;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public abstract class Demo {
          int base = 100;

          @Async
          Coroutine<Integer> twice(int x) {
            int a = await(Aio.sleep(Duration.ofSeconds(1), x));
            int b = await(Aio.sleep(Duration.ofSeconds(1), x));
            return done(base + a + b);
          }

          @Async
          static Coroutine<String> hello(String name) {
            await(Aio.sleep(10));
            return done("hello " + name);
          }
        }
        """);
    System.out.println(c.generatedSource("demo.DemoAsync"));
    System.out.println(c.generatedSource("demo.DemoAsync_twice"));
    Object demo = c.instantiate("demo.DemoAsync");
    assertEquals(142, Aio.runVirtual(Compiled.call(demo, "twice", 21)));
    assertEquals("hello you", Aio.runVirtual(Compiled.call(c.load("demo.DemoAsync"), "hello", "you")));
  }
}
