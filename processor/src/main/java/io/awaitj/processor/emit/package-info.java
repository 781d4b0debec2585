/**
 * Generated code, written with JavaPoet. {@code ShellEmitter}: round 1, the class {@code XAsync} from
 * elements alone (constructors mirrored, {@code @Async} methods overridden or hidden by ones that
 * construct their machines). {@code MachineEmitter}: round 2, one state-machine class per method and
 * per async lambda, from its {@code LoweredBody}: fields, constructor, {@code step()} (one commented
 * {@code case} per state, in the shapes {@code MachineContract} gives), {@code sourceFrame()}. {@code
 * StepParts}: {@code step()} in one method, or split into parts by ranges of states when it would
 * outgrow the JVM's 64 KB per method; {@code Handlers}: where an exception thrown in a state of a
 * lowered try goes (one handler table per step, a try of its own for the few states it cannot
 * cover); {@code TopLevelDeclarations} and {@code StateStores}: what those read from a state's code.
 * {@code LoopCases}: an innermost loop written to turn inside its head's case while its awaits
 * complete at once, the fields it reads held in locals ({@code LoopLocals}, from what the loop's
 * lowering recorded); {@code JavaTokens}: the code {@code StateStores} reads as text, as tokens.
 * {@code Suppressions}: which warnings the generated code may suppress, and why; {@code
 * JavaLangNames}: which java.lang types a package's own types hide, asked once per compilation.
 */
package io.awaitj.processor.emit;
