package io.awaitj.processor.lower;

import java.util.Set;

/**
 * What the code of a lowered loop (one that awaits: {@link LoopLowering}) does with the machine's
 * fields, as its lowering knows it: the fields it reads, and the names of the Java locals it declares.
 * Each state the loop's lowering made carries it ({@link LoweredBody.Case#loop()}); the emitter holds
 * the fields a loop turning in its head's case reads in Java locals of the same names ({@code
 * emit.LoopLocals}), except those a local of the loop's code is named like.
 *
 * <p>{@code read}: the fields of the variables the loop's source reads (a compound assignment and an
 * increment read too; a plain assignment does not) and of the temporaries its lowering takes (a
 * spill, a condition's or a conditional's result, an iterator, an array and its index: each is read in
 * the loop after it is written). A variable is read in a lambda or an anonymous class of the loop as a
 * copy the state's code takes from the field ({@code Frame.captured}), so that is a read in the loop's
 * code too; a local class is a member of the machine ({@code LocalClasses}), not code of the loop, and
 * is not scanned. {@code declared}: the names of the variables the loop's source declares that stay
 * Java locals (not fields), lambdas' parameters and locals included, those of an anonymous class's
 * members not (a class body is a scope of its own); every other local of the lowering's own code
 * takes a name from the frame's allocator, which gives no field's name.
 *
 * <p>Both are the loop's, not a state's: a field read only in a state of the loop that the emitter
 * does not write in the head's case (a state a jump of the loop's code goes to) is held too, which
 * costs a load and a store as the loop enters and leaves, never a wrong value.
 *
 * @param loop the loop's number in its body, in the order their lowering started
 * @param read the fields the loop's code reads, in the order first found
 * @param declared the names of the Java locals the loop's code declares
 */
public record LoopFields(int loop, Set<String> read, Set<String> declared) {
  /** Copies the sets: {@code read} keeps its order, neither changes after. */
  public LoopFields {
    read = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(read));
    declared = Set.copyOf(declared);
  }
}
