package io.vdfc.mpi;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test only where an MPJ Express daemon can run here: the MPJ jars and Debian's log4j/commons jars exist, {@code
 * localhost} resolves, and this process may listen on local TCP ports (the daemon, its port manager and the MPJRun
 * rendezvous each need one).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(EnabledIfLocalDaemonPossible.Condition.class)
@interface EnabledIfLocalDaemonPossible {

  final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      for (String jar : new String[] {"/usr/share/mpj/lib/daemon.jar", "/usr/share/mpj/lib/starter.jar",
          "/usr/share/java/log4j-1.2.jar", "/usr/share/java/commons-cli.jar", "/usr/share/java/commons-codec.jar",
          "/usr/share/java/commons-io.jar"}) {
        if (!Files.isReadable(Path.of(jar))) {
          return ConditionEvaluationResult.disabled(jar + " missing (Debian's libmpj-java)");
        }
      }
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
        return ConditionEvaluationResult.enabled("localhost port " + probe.getLocalPort() + " can be bound");
      } catch (IOException e) {
        return ConditionEvaluationResult.disabled("cannot listen on localhost: " + e);
      }
    }
  }
}
