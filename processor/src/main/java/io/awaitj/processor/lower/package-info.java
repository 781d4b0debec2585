/**
 * Lowering: an {@code @Async} body becomes the states of a machine. {@link
 * io.awaitj.processor.lower.Lowerer#lower} wires the parts, runs the statement dispatcher and returns
 * an immutable {@link io.awaitj.processor.lower.LoweredBody}.
 *
 * <p>The parts, each with a narrow job:
 *
 * <ul>
 *   <li>{@code MachineBuilder} — the states as they are filled: the current one, the protected
 *       region, jumps and closing.
 *   <li>{@code Frame} — the machine's fields: parameters, locals living across awaits, temporaries,
 *       snapshots captured by lambdas; fields released while suspended ({@code LastUses}: which
 *       variables no code after a suspension reads).
 *   <li>{@code JumpStack} — targets of {@code break} / {@code continue}, lowered switch expressions,
 *       lowered {@code finally} blocks every jump passes through.
 *   <li>{@code LocalClasses} — local classes hoisted to members of the machine; {@code HoistedClass}
 *       builds each member type from javac's view of the declaration.
 *   <li>{@code Source} — javac's view of the body and its text (read only).
 * </ul>
 *
 * <p>The rules, one class each: {@code StatementLowering} (the dispatcher; {@code if}, blocks,
 * labels, {@code return}, {@code yield}, {@code throw}, {@code assert}), {@code ExpressionLowering}
 * (awaits and spilling in Java's evaluation order), {@code AssignmentLowering}, {@code LoopLowering},
 * {@code SwitchLowering}, {@code TryLowering} (try/catch/finally, try-with-resources), {@code
 * AsyncLambdaLowering}. Code without an await is copied by {@code Verbatim}, which splices the edits
 * of {@code JumpRewrites}, {@code NameRewrites}, {@code PrivateRewrites} and {@code AssertRewrite}
 * (collected in one walk, {@code CopyScan}); {@code PrivateAccess} builds the handles on private
 * members.
 *
 * <p>Size ({@code model.CodeSize}): a state grown large goes on in a new one between two statements
 * where no Java local of it is in scope ({@code StatementLowering.cutIfLarge}); a long statement
 * without awaits is lowered like one with, so that its blocks can be cut; a switch with many labels
 * finds its case in methods of its own ({@code SwitchLowering}).
 */
package io.awaitj.processor.lower;
