package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awaitj.Aio;
import io.awaitj.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's examples as printed: the one at the top compiles through the processor; the first
 * {@code @Async} method of "A first @Async method, step by step" compiles and runs, and the state
 * machine "Reading the generated code" prints is the one the processor writes for it.
 */
class ReadmeTest {
  @Test
  void theReadmeExampleCompiles() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("```java\n");
    int end = readme.indexOf("```", start + 8);
    assertTrue(start >= 0 && end > start, "no java example in the README");
    String example = readme.substring(start + 8, end);
    String source = """
        package readme;

        import io.awaitj.Aio;
        import io.awaitj.Async;
        import io.awaitj.Coroutine;
        import io.awaitj.Task;
        import java.net.URI;
        import java.net.http.HttpClient;
        import java.net.http.HttpRequest;
        import java.net.http.HttpResponse;
        import java.net.http.HttpResponse.BodyHandlers;
        import java.util.ArrayList;
        import java.util.List;
        """ + example;
    Compiled.compile(source);
  }

  static String readme() throws IOException {
    return Files.readString(Path.of("..", "README.md"));
  }

  /** The first java block after {@code heading}, its common indentation removed. */
  static String javaBlockAfter(String readme, String heading) {
    int h = readme.indexOf("\n" + heading + "\n");
    assertTrue(h >= 0, "no heading " + heading + " in the README");
    int start = readme.indexOf("```java\n", h);
    int end = readme.indexOf("```", start + 8);
    assertTrue(start >= 0 && end > start, "no java block after " + heading);
    int lineStart = readme.lastIndexOf('\n', start) + 1;
    String indent = readme.substring(lineStart, start);
    return readme.substring(start + 8, end).lines()
        .map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l.strip())
        .collect(Collectors.joining("\n", "", "\n"));
  }

  static Compiled firstExample() throws IOException {
    return Compiled.compile(javaBlockAfter(readme(), "### A first `@Async` method, step by step"));
  }

  @Test
  void theFirstAsyncMethodRunsAsTheReadmeSays() throws IOException {
    Compiled c = firstExample();
    Object greeter = c.instantiate("com.example.GreeterAsync", "Hello");
    EventLoop loop = EventLoop.createVirtual();
    try {
      Object both = loop.runUntilComplete(
          Compiled.call(c.load("com.example.GreeterAsync"), "greetBoth", greeter));
      assertEquals("Hello, Ann / Hello, Bob", both);
      assertEquals(Duration.ofMillis(200).toNanos(), loop.nanoTime(), "the two sleeps overlap");
    } finally {
      loop.close();
    }
  }

  @Test
  void theGeneratedMachineIsTheOneTheReadmePrints() throws IOException {
    String printed = javaBlockAfter(readme(), "### Reading the generated code");
    String generated = firstExample().generatedSource("com.example.GreeterAsync_greet");
    List<String> want = printed.strip().lines().map(String::strip).toList();
    List<String> have = generated.lines().map(String::strip).toList();
    int at = java.util.Collections.indexOfSubList(have, want);
    assertTrue(at >= 0, "the README's machine (Reading the generated code) is not what the processor"
        + " writes now; update the README from this:\n" + generated);
  }
}
