/**
 * Generated code, written with JavaPoet. {@code ShellEmitter}: round 1, the class {@code XAsync} from
 * elements alone (constructors mirrored, {@code @Async} methods overridden or hidden by ones that
 * construct their machines). {@code MachineEmitter}: round 2, one state-machine class per method and
 * per async lambda, from its {@code LoweredBody}: fields, constructor, {@code step()} (one commented
 * {@code case} per state, in the shapes {@code MachineContract} gives), {@code toString()}.
 * {@code Suppressions}: which warnings the generated code may suppress, and why.
 */
package io.awaitj.processor.emit;
