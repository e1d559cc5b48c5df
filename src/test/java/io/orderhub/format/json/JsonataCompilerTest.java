package io.orderhub.format.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import io.orderhub.common.FieldError;
import org.junit.jupiter.api.Test;

/**
 * A compiled mapping evaluated many times on the thread that asked for it (a JMS consumer compiles its mapping on
 * first use, then runs it for every event) gives the same answer every time and never runs out of stack: the
 * library's evaluation state does not chain one evaluation onto the last (see {@link JsonataCompiler}).
 */
class JsonataCompilerTest {

    private static final String MAPPING = "( $o := data.order; $f := function($x) { $x * 2 };"
            + " { \"id\": orderId, \"twice\": $f($o.qty), \"unbound\": $exists($notBoundAnywhere) } )";

    private static Object run(Jsonata expression, Map<String, Object> input) {
        Jsonata.Frame frame = expression.createFrame();
        frame.setRuntimeBounds(5_000, 500);
        List<FieldError> errors = new ArrayList<>();
        JsonataFunctions.bind(frame, errors);
        return expression.evaluate(input, frame);
    }

    @Test
    void aMappingRunTensOfThousandsOfTimesOnItsOwnThreadGivesTheSameAnswerEachTime() {
        Jsonata expression = JsonataCompiler.compile(MAPPING);
        for (int i = 0; i < 30_000; i++) {
            Object out = run(expression, Map.of("orderId", "ORD-" + i, "data", Map.of("order", Map.of("qty", i))));
            assertThat(out).as("evaluation " + i).isEqualTo(Map.of("id", "ORD-" + i, "twice", i * 2, "unbound", false));
        }
    }

    @Test
    void aSyntaxErrorIsTheLibrarysOwn() {
        assertThatThrownBy(() -> JsonataCompiler.compile("( $a := ")).isInstanceOf(JException.class);
    }
}
