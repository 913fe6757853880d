package dev.eventsource.autoconfigure;

import dev.eventsource.InvalidHandlerException;
import dev.eventsource.InvalidHandlerException.Kind;
import dev.eventsource.InvalidHandlerException.Problem;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up hint for a malformed handler follows what the exception says it is about (its kind and problem),
 * not words in its message: class names that contain "Projection" or "Aggregate" do not change the advice.
 */
class InvalidHandlerFailureAnalyzerTests {

    /** An aggregate whose name reads like a projection. */
    static class ProjectionLedger {
        void on(String wrong) {
        }
    }

    @Test
    void aggregateHandlerAdviceForAnAggregateWhoseNameSaysProjection() throws NoSuchMethodException {
        Method method = ProjectionLedger.class.getDeclaredMethod("on", String.class);
        String analysis = FailureAnalysisAssert.analyze(new InvalidHandlerException(ProjectionLedger.class.getName()
                + ".on(String) takes java.lang.String, which does not implement dev.eventsource.Event",
                Kind.AGGREGATE, Problem.SIGNATURE, ProjectionLedger.class, method));

        assertThat(analysis).contains("ProjectionLedger.on(String) takes java.lang.String")
            .contains("Fix the method: an @EventHandler is an instance method taking exactly one event")
            .doesNotContain("Fix the projection");
    }

    @Test
    void projectionAdviceWhateverTheMessageSays() {
        String analysis = FailureAnalysisAssert.analyze(new InvalidHandlerException("Ledger has no handler method",
                Kind.PROJECTION, Problem.NO_HANDLERS, ProjectionLedger.class, null));

        assertThat(analysis).contains("Fix the projection").doesNotContain("Fix the method");
    }

    @Test
    void constructorAdviceForAMissingConstructorEvenWithoutItsCause() {
        String analysis = FailureAnalysisAssert.analyze(new InvalidHandlerException("Aggregate Ledger cannot be"
                + " created", Kind.AGGREGATE, Problem.NO_CONSTRUCTOR, ProjectionLedger.class, null));

        assertThat(analysis).contains("Add a no-argument constructor to the aggregate (it may be private)");
    }

    @Test
    void notAnAggregateAdviceWithoutTheUsualWording() {
        String analysis = FailureAnalysisAssert.analyze(new InvalidHandlerException("Ledger has event handlers",
                Kind.AGGREGATE, Problem.NOT_AN_AGGREGATE, ProjectionLedger.class, null));

        assertThat(analysis).contains("Extend dev.eventsource.AggregateRoot if the class is an aggregate")
            .doesNotContain("Fix the method");
    }
}
