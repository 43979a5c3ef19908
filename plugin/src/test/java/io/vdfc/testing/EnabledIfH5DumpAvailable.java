package io.vdfc.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test only where {@code h5dump} (Debian's hdf5-tools) is on the PATH; elsewhere it is skipped with the reason.
 * CI installs hdf5-tools (scripts/setup.sh), so the check runs there.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(EnabledIfH5DumpAvailable.Condition.class)
public @interface EnabledIfH5DumpAvailable {

  /** The condition: h5dump found on the PATH. */
  final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return h5dump() != null
          ? ConditionEvaluationResult.enabled("h5dump found")
          : ConditionEvaluationResult.disabled("h5dump not on the PATH (apt-get install hdf5-tools)");
    }

    /** The h5dump executable on the PATH, or null. */
    public static Path h5dump() {
      String path = System.getenv("PATH");
      if (path == null) {
        return null;
      }
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path p = Path.of(dir, "h5dump");
        if (Files.isExecutable(p)) {
          return p;
        }
      }
      return null;
    }
  }
}
