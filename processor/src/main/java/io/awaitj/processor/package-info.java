/**
 * The awaitj annotation processor. The pipeline, one package per stage:
 *
 * <ol>
 *   <li>{@link io.awaitj.processor.AsyncProcessor} — the driver: finds {@code @Async} methods, runs the
 *       stages per class, turns every failure into a diagnostic.
 *   <li>{@code validate} — checks what can be checked on elements alone (return types, modifiers,
 *       class shapes) before anything is generated.
 *   <li>{@code emit} ({@code ShellEmitter}) — round 1: the {@code XAsync} class, whose signatures and
 *       constructors need elements only, not attributed bodies.
 *   <li>{@code analysis} — round 2, once {@code XAsync} exists and the class can be attributed safely:
 *       await points, the locals that live across them, and jump targets.
 *   <li>{@code lower} — structured statements and expressions that contain awaits become states; code
 *       without awaits is copied as it was written, with its names resolved.
 *   <li>{@code emit} ({@code MachineEmitter}) — the state-machine class, written with JavaPoet.
 * </ol>
 */
package io.awaitj.processor;
