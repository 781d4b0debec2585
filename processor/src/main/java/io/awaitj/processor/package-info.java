/**
 * The awaitj annotation processor: a straight pipeline over passive values, one package per stage.
 * Dependencies run one way, down this list; nothing below the root imports the root.
 *
 * <ol>
 *   <li>{@code model} — passive values: {@code AsyncType} (a user type, its {@code @Async} methods
 *       and the names of what is generated for them) and {@code MachineContract} (the one place that
 *       knows the runtime's names and the code shapes of a state machine: jump, suspend, resume,
 *       complete, the dispatch loop).
 *   <li>{@code diagnostics} — the error funnel every stage reports through.
 *   <li>{@code validate} — checks on elements alone (return types, modifiers, class shapes) before
 *       anything is generated.
 *   <li>{@code analysis} — facts about a body, computed once: where it awaits ({@code AwaitAnalysis}),
 *       its local classes, captures and loop-declared locals ({@code LocalScopes}).
 *   <li>{@code lower} — a body becomes states; the result is an immutable {@code LoweredBody}.
 *   <li>{@code emit} — JavaPoet: {@code ShellEmitter} writes {@code XAsync} (round 1, elements only),
 *       {@code MachineEmitter} one machine class per method from its {@code LoweredBody} (round 2).
 *   <li>{@code misuse} — checks on ordinary code ({@code await} outside an {@code @Async} body,
 *       static templates called directly), run by {@link io.awaitj.processor.MisuseProcessor}.
 *   <li>the root — the drivers: {@link io.awaitj.processor.AsyncProcessor} runs the stages per type
 *       in two rounds and turns every failure into a diagnostic.
 * </ol>
 */
package io.awaitj.processor;
