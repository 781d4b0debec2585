package io.awaitj.processor.emit;

import io.awaitj.processor.lower.LoweredBody;
import io.awaitj.processor.model.MachineContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where an exception thrown in a state of a lowered {@code try} goes. A machine's step has one {@code
 * try} around its dispatch {@code switch}, whose {@code catch} finds the handler of the state that
 * threw by {@code state} ({@link MachineContract.Handler}, the shape Kotlin's and C#'s compilers
 * give), instead of a {@code try} in every protected state.
 *
 * <p>That holds only while {@code state} names, whenever code of a state runs, a state of the same
 * region. Code runs with another number there in three places, each handled here:
 * <ul>
 *   <li>a state that falls through into the next without storing its number (both show the same
 *       source line): it stores it when their regions differ ({@link #sameHandler});
 *   <li>an await, whose awaitable is evaluated after {@code state} holds the resume state, as is
 *       whatever a state's code runs after storing a state it does not go on to at once (a generator's
 *       {@code emit}): when that state's region differs, the state keeps a {@code try} of its own
 *       ({@link MachineContract#protect}); when it is the same, the table of the method that holds
 *       the storing state lists the stored number too ({@link #table}), which that method's cases may
 *       not hold (a split step's other part, or a state in a {@code try} of its own);
 *   <li>a jump inside a {@code try} statement of the copied code (a {@code break} out of a {@code try}
 *       with a {@code finally} that may throw): the state keeps a {@code try} of its own.
 * </ul>
 * A state outside every region that needs a {@code try} of its own (it has no handler to go to) makes
 * its machine keep the earlier shape, a {@code try} in every protected state.
 */
final class Handlers {
  private final List<LoweredBody.Case> states;
  /** The states (by index) that keep a {@code try} of their own. */
  private final boolean[] ownTry;
  /** Whether no state needs the table: the machine keeps a {@code try} in every protected state. */
  private final boolean perState;
  /** The states (by index) whose code declares a local at its top level ({@link TopLevelDeclarations}). */
  private final boolean[] declares;
  /**
   * The states (by number) whose number each state (by index) stores before running on in its own
   * code, with the same handler: its await's resume state, a generator's emit's.
   */
  private final List<List<Integer>> runOn;

  private Handlers(List<LoweredBody.Case> states, boolean[] ownTry, boolean perState, boolean[] declares,
      List<List<Integer>> runOn) {
    this.states = states;
    this.ownTry = ownTry;
    this.perState = perState;
    this.declares = declares;
    this.runOn = runOn;
  }

  /**
   * The handlers of {@code states} (numbered 0 to n-1, in order); and, from the same reading of each
   * state's code (rendered once), whether it declares a local at its top level.
   */
  static Handlers of(List<LoweredBody.Case> states) {
    boolean[] ownTry = new boolean[states.size()];
    boolean[] declares = new boolean[states.size()];
    List<List<Integer>> runOn = new ArrayList<>();
    boolean perState = false;
    for (int i = 0; i < states.size(); i++) {
      LoweredBody.Case s = states.get(i);
      String code = s.code().toString();
      declares[i] = TopLevelDeclarations.in(code);
      boolean needs = false;
      List<Integer> targets = new ArrayList<>();
      if (s.tail() != null && s.tail().awaits()) {
        needs = !sameHandler(s, byNumber(states, s.tail().next()));
        targets.add(s.tail().next());
      }
      StateStores.Found stores = StateStores.in(code);
      if (stores.insideTry()) {
        needs = true;
      }
      for (Integer target : stores.runOnAfter()) {
        LoweredBody.Case t = target == null ? null : byNumber(states, target);
        if (t == null || !sameHandler(s, t)) {
          needs = true;
        } else {
          targets.add(target);
        }
      }
      runOn.add(targets);
      if (needs && s.regionField() == null) {
        perState = true;
      }
      ownTry[i] = needs;
    }
    return new Handlers(states, ownTry, perState, declares, runOn);
  }

  /** The state numbered {@code n}, or null. */
  private static LoweredBody.Case byNumber(List<LoweredBody.Case> states, int n) {
    if (n >= 0 && n < states.size() && states.get(n).number() == n) {
      return states.get(n);
    }
    for (LoweredBody.Case s : states) {
      if (s.number() == n) {
        return s;
      }
    }
    return null;
  }

  /** Whether an exception in {@code a} and one in {@code b} go to the same place. */
  static boolean sameHandler(LoweredBody.Case a, LoweredBody.Case b) {
    return b != null && Objects.equals(a.regionField(), b.regionField())
        && (a.regionField() == null || a.handler() == b.handler());
  }

  /** Whether state {@code i} is written in a {@code try} of its own. */
  boolean ownTry(int i) {
    return states.get(i).regionField() != null && (perState || ownTry[i]);
  }

  /**
   * Whether the case of state {@code i}, the head of a loop written in its case up to state index
   * {@code lastOfLoop} ({@link LoopCases}; -1: no such loop), is written in a {@code try} of its own:
   * when any state copied into it needs one (the table reads {@code state}, which a copy may have set
   * to a state of another region before running on).
   */
  boolean ownTry(int i, int lastOfLoop) {
    for (int k = i; k <= lastOfLoop; k++) {
      if (ownTry(k)) {
        return true;
      }
    }
    return ownTry(i);
  }

  /**
   * Whether the case of state {@code i} is a block (see {@link #block(int)}); the head of a loop
   * written in its case ({@code lastOfLoop} >= 0) is not: its states' code is in blocks of its own.
   */
  boolean block(int i, int lastOfLoop) {
    return lastOfLoop < 0 && block(i);
  }

  /**
   * Whether the case of state {@code i} is a block: its code declares a local at its top level (what
   * the emitter adds after it, the tail, declares none), and is not inside a {@code try} of its own.
   */
  boolean block(int i) {
    return declares[i] && !ownTry(i);
  }

  /**
   * The table of the states {@code from} to {@code to} (indices, exclusive), for the {@code catch} of
   * the step method that holds them: empty when none of them is protected by it. Besides their own
   * numbers, it lists those they store before running on with the same handler (an await's resume
   * state, whose awaitable is evaluated after the store), where that state is not listed by this table
   * already: in another part of a split step, or in a {@code try} of its own.
   */
  List<MachineContract.Handler> table(int from, int to) {
    Map<String, java.util.TreeSet<Integer>> byHandler = new LinkedHashMap<>();
    Map<String, LoweredBody.Case> first = new LinkedHashMap<>();
    for (int i = from; i < to; i++) {
      LoweredBody.Case s = states.get(i);
      if (s.regionField() == null || ownTry(i)) {
        continue;
      }
      String key = s.regionField() + " " + s.handler();
      java.util.TreeSet<Integer> numbers = byHandler.computeIfAbsent(key, k -> new java.util.TreeSet<>());
      numbers.add(s.number());
      numbers.addAll(runOn.get(i));
      first.putIfAbsent(key, s);
    }
    List<MachineContract.Handler> out = new ArrayList<>();
    byHandler.forEach((key, numbers) -> {
      LoweredBody.OnThrow onThrow = first.get(key).onThrow();
      out.add(new MachineContract.Handler(first.get(key).regionField(), onThrow.code(), onThrow.before(),
          onThrow.then(),
          new ArrayList<>(numbers)));
    });
    return out;
  }
}
