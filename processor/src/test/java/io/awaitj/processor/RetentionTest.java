package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.awaitj.Aio;
import org.junit.jupiter.api.Test;

/**
 * A suspended state machine keeps alive only what its body can still use: variables whose scope has
 * ended and temporaries of completed statements are cleared when it next suspends.
 */
class RetentionTest {

  @Test
  void aSuspendedMachineReleasesWhatItsBodyNoLongerUses() {
    Compiled c = Compiled.compile("""
        package keep;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import io.awaitj.Task;
        import io.awaitj.sync.Event;
        import java.lang.ref.WeakReference;
        import java.time.Duration;
        import java.util.ArrayList;
        import java.util.List;
        import static io.awaitj.Aio.await;
        import static io.awaitj.Aio.done;

        public class Holder {
          static Object track(List<WeakReference<Object>> refs, Object o) {
            refs.add(new WeakReference<>(o));
            return o;
          }

          static String describe(Object o, int n) {
            return o.getClass().getSimpleName() + n;
          }

          /** Keeps three arrays in fields of its machine, then suspends on the gate. */
          @Async static Coroutine<String> hold(Event gate, List<WeakReference<Object>> refs) {
            String kept;
            {
              Object block = track(refs, new byte[1 << 20]);
              await(Aio.sleep(1));
              kept = describe(block, 0);
            }
            for (Object element : List.of(track(refs, new byte[1 << 20]))) {
              kept += describe(element, await(Aio.sleep(Duration.ofMillis(1), 1)));
            }
            // The array is the first argument, spilled into a temporary while the second awaits.
            kept += describe(track(refs, new byte[1 << 20]), await(Aio.sleep(Duration.ofMillis(1), 2)));
            await(gate.waitSet());
            return done(kept);
          }

          /** How many of the arrays are still reachable while hold() is suspended on the gate. */
          @Async static Coroutine<String> drive() {
            Event gate = new Event();
            List<WeakReference<Object>> refs = new ArrayList<>();
            Task<String> held = Aio.createTask(hold(gate, refs));
            await(Aio.sleep(100));
            int alive = refs.size();
            for (int attempt = 0; attempt < 20 && alive > 0; attempt++) {
              System.gc();
              alive = 0;
              for (WeakReference<Object> r : refs) {
                alive += r.get() == null ? 0 : 1;
              }
            }
            gate.set();
            return done(await(held) + " alive " + alive + " of " + refs.size());
          }
        }
        """);
    assertEquals("byte[]0byte[]1byte[]2 alive 0 of 3",
        Aio.runVirtual(Compiled.call(c.load("keep.HolderAsync"), "drive")));
  }
}
