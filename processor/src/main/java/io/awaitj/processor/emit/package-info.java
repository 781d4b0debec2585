/**
 * Generated code, written with JavaPoet. {@code ShellEmitter}: round 1, the class {@code XAsync} from
 * elements alone (constructors mirrored, {@code @Async} methods overridden or hidden by ones that
 * construct their machines). {@code MachineEmitter}: round 2, one state-machine class per method and
 * per async lambda, from its {@code LoweredBody}: fields, constructor, {@code step()} (one commented
 * {@code case} per state, in the shapes {@code MachineContract} gives), {@code toString()}. {@code
 * StepParts}: {@code step()} in one method, or split into parts by ranges of states when it would
 * outgrow the JVM's 64 KB per method. {@code Suppressions}: which warnings the generated code may
 * suppress, and why.
 */
package io.awaitj.processor.emit;
