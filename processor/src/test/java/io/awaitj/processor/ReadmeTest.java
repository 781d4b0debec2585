package io.awaitj.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example at the top of the README compiles through the processor as it is printed. */
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
}
