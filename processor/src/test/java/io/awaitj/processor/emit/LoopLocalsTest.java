package io.awaitj.processor.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import io.awaitj.processor.lower.LoopFields;
import io.awaitj.processor.lower.LoweredBody;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Which fields a loop turning in its head's case holds in locals ({@link LoopLocals}), from what its
 * lowering recorded ({@link LoopFields}); FastLoopsTest runs loops the lowering records so.
 */
class LoopLocalsTest {
  private static final Map<String, TypeName> FIELDS = new LinkedHashMap<>();

  static {
    for (String f : new String[] {"a", "b", "c", "d", "e"}) {
      FIELDS.put(f, TypeName.INT);
    }
  }

  /** A state of the loop whose lowering recorded {@code loop}. */
  private static LoweredBody.Case state(int number, LoopFields loop) {
    return new LoweredBody.Case(number, null, CodeBlock.of(""), true, null, -1, 0, null, null, loop);
  }

  /** The locals of the loop of states recorded as {@code loops}, one each, by name. */
  private static String locals(LoopFields... loops) {
    List<LoweredBody.Case> states = new ArrayList<>();
    for (LoopFields l : loops) {
      states.add(state(states.size(), l));
    }
    return LoopLocals.of(states, FIELDS).stream().map(LoopLocals.Local::name).collect(Collectors.joining(" "));
  }

  @Test
  void theFieldsTheLoopReadsInTheMachinesOrder() {
    LoopFields loop = new LoopFields(0, Set.of("e", "b", "a", "other$1"), Set.of());
    assertEquals("a b e", locals(loop, loop, loop));
    assertEquals(TypeName.INT, LoopLocals.of(List.of(state(0, loop)), FIELDS).get(0).type());
  }

  @Test
  void aFieldALocalOfTheLoopIsNamedLikeStaysAField() {
    assertEquals("a c", locals(new LoopFields(0, Set.of("a", "b", "c"), Set.of("b", "x"))));
  }

  @Test
  void statesOfAnotherLoopOrOfNoneHoldNothing() {
    LoopFields one = new LoopFields(0, Set.of("a"), Set.of());
    LoopFields two = new LoopFields(1, Set.of("a"), Set.of());
    assertEquals("", locals(one, two));
    assertEquals("", locals(one, null));
    assertEquals("", locals((LoopFields) null));
  }
}
