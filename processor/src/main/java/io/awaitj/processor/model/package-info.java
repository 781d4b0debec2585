/**
 * Passive values the stages share: {@link io.awaitj.processor.model.AsyncType} (a user type, its
 * {@code @Async} methods, the generated class and machine names), {@link
 * io.awaitj.processor.model.CodeSize} (how large a state and a method of generated code may grow) and
 * {@link io.awaitj.processor.model.MachineContract}, the contract between generated code and the runtime.
 * Every runtime name the generated code uses, and every code shape of the machine protocol ({@code
 * state = n; continue dispatch$;}, {@code if (suspendOn(x)) return SUSPEND;}, {@code awaitResult()},
 * the dispatch loop), is written there and nowhere else.
 */
package io.awaitj.processor.model;
