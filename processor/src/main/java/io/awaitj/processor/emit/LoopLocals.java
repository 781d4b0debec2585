package io.awaitj.processor.emit;

import com.palantir.javapoet.TypeName;
import io.awaitj.processor.lower.LoopFields;
import io.awaitj.processor.lower.LoweredBody;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The machine's fields that a loop written in its head's case ({@link LoopCases}) holds in Java locals
 * of the same names while it turns there: the JIT then keeps them in registers across a turn (a
 * field is stored on every write, and read again after every call it cannot see through), as Kotlin
 * keeps its locals, spilling them only when the coroutine suspends. The locals shadow the fields, so
 * the loop's code is the same text; they are written back to the fields by a {@code finally} around
 * the loop, on every way out of it (a jump out, a suspension, a return, an exception, which a
 * handler of the machine may read them after).
 *
 * <p>The loop's lowering says what its code does with the fields ({@link LoopFields}, on each of its
 * states): a field is held in a local when the code reads it (one it only assigns, as a reference let
 * go of at a suspension, stays a field), unless a Java local the code declares has its name (the
 * two would clash). These rules replaced a reading of the loop's text, which guessed: a name after a
 * type-like word may have been a declaration (now: the names the loop's source declares as Java
 * locals, exactly), {@code this.name} may have read the field (the lowering writes no {@code this.}
 * before a field in a state's code: the user's {@code this} is the machine's {@code self}), and code
 * with a lambda, a class or a switch rule held nothing, as such code might have read a field after the
 * loop wrote it: the lowering gives a lambda or a class the loop declares a copy of each variable it
 * reads, taken in the state's code (a read of the local, the current value), and a local class made a
 * member of the machine reads the fields only of variables assigned once, before any loop. Code the
 * lowering did not make for one loop (a loop of states it cannot tell as one) holds nothing.
 */
final class LoopLocals {
  private LoopLocals() {}

  /** A field the loop holds in a local: its name and its type. */
  record Local(String name, TypeName type) {}

  /**
   * The fields of {@code fields} (name to type, in the machine's order) that the loop of states
   * {@code loop} (its head first) holds in locals, in that order; empty if it holds none.
   */
  static List<Local> of(List<LoweredBody.Case> loop, Map<String, TypeName> fields) {
    LoopFields uses = loop.get(0).loop();
    for (LoweredBody.Case s : loop) {
      if (uses == null || !uses.equals(s.loop())) {
        return List.of(); // states of another loop, or of none: not what its lowering recorded
      }
    }
    List<Local> out = new ArrayList<>();
    for (Map.Entry<String, TypeName> f : fields.entrySet()) {
      if (uses.read().contains(f.getKey()) && !uses.declared().contains(f.getKey())) {
        out.add(new Local(f.getKey(), f.getValue()));
      }
    }
    return out;
  }
}
