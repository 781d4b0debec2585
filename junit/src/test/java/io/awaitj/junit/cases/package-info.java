/**
 * Test classes that {@code AsyncTestExtensionTest} runs through JUnit's {@code EngineTestKit}, some of
 * which fail on purpose. Their names end in {@code Cases}, which Surefire does not run by itself.
 */
package io.awaitj.junit.cases;
