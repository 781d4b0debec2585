package io.awaitj.processor.hostile;

import io.awaitj.processor.hostile.JavaTokens.Token;
import io.awaitj.processor.hostile.JavaTokens.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Shrinks a failing program while it still fails the same way: delta debugging over lines, then over
 * tokens, removing ever smaller chunks until no single line or token can go. Each check is one
 * compilation, so the number of checks is bounded.
 */
final class Minimizer {
  private final Predicate<String> stillFails;
  private int budget;

  /** A minimizer that makes at most {@code maxChecks} compilations. */
  Minimizer(Predicate<String> stillFails, int maxChecks) {
    this.stillFails = stillFails;
    this.budget = maxChecks;
  }

  /** The smallest variant of {@code source} found that still fails. */
  String minimize(String source) {
    List<String> lines = new ArrayList<>(List.of(source.split("\n", -1)));
    lines = shrink(lines, l -> String.join("\n", l));
    Tokens tokens = JavaTokens.tokenize(String.join("\n", lines));
    List<Token> kept = shrink(new ArrayList<>(tokens.tokens()), ts -> new Tokens(ts, tokens.trailing()).text());
    return tidy(new Tokens(kept, tokens.trailing()).text());
  }

  /** Removes chunks of {@code items} (halving their size) while the text they spell still fails. */
  private <T> List<T> shrink(List<T> items, java.util.function.Function<List<T>, String> text) {
    int chunk = Math.max(1, items.size() / 2);
    while (budget > 0) {
      boolean progress = false;
      for (int start = 0; start < items.size() && budget > 0; ) {
        List<T> candidate = new ArrayList<>(items.subList(0, start));
        candidate.addAll(items.subList(Math.min(items.size(), start + chunk), items.size()));
        budget--;
        if (stillFails.test(text.apply(candidate))) {
          items = candidate;
          progress = true;
        } else {
          start += chunk;
        }
      }
      if (!progress) {
        if (chunk == 1) {
          break;
        }
        chunk = Math.max(1, chunk / 2);
      }
    }
    return items;
  }

  /** Drops the blank lines that token removal leaves. */
  private static String tidy(String s) {
    return s.replaceAll("(?m)^[ \\t]+$", "").replaceAll("\n{3,}", "\n\n");
  }
}
