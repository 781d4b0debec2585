/**
 * Stress tests of the runtime: many tasks, cancellation storms, timeouts racing completions, nested
 * task groups, completions from other threads, and a long churn. Each job is checked against a model
 * of asyncio's semantics (or, where the schedule is not deterministic, against the rules its outcome
 * must obey) the moment it ends; each run ends by checking that the loop holds no task and no timer,
 * that finished tasks can be collected, and that debug mode reported exactly the failures left
 * unretrieved on purpose.
 *
 * <ul>
 *   <li>{@link io.awaitj.stress.MillionTasksStressTest}: a million tasks through cancellation storms,
 *       and a loop closed in the middle of one.
 *   <li>{@link io.awaitj.stress.TimeoutRaceStressTest}: {@code waitFor} and timeout scopes whose
 *       deadline equals or straddles the completion.
 *   <li>{@link io.awaitj.stress.NestedTaskGroupStressTest}: task groups nested five deep, failures at
 *       random depths.
 *   <li>{@link io.awaitj.stress.CrossThreadStressTest}: eight threads completing what tasks on a
 *       real-clock loop await.
 *   <li>{@link io.awaitj.stress.ChurnStressTest}: all of it at once, for a few seconds, or for as long
 *       as asked.
 *   <li>{@link io.awaitj.stress.CoreRegressionTest}: minimal reproductions of what these tests found.
 * </ul>
 *
 * <p>System properties (given to Maven, which hands them to the test JVM):
 *
 * <ul>
 *   <li>{@code -Dawaitj.stress.seed=S}: the seed; every test prints the one it used.
 *   <li>{@code -Dawaitj.stress.seconds=N}: how long the churn runs (default 3 s). From 60 s on, it also
 *       samples the heap every 30 s and fails if it grew by more than 64 MB after draining. For
 *       example: {@code mvn -pl runtime -am test -Dtest=ChurnStressTest
 *       -Dsurefire.failIfNoSpecifiedTests=false -Dawaitj.stress.seconds=600}.
 * </ul>
 */
package io.awaitj.stress;
