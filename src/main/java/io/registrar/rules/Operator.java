package io.registrar.rules;

import io.registrar.crypto.DistinguishedNames;

import javax.security.auth.x500.X500Principal;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The tests a condition may make on a value (a metadata member, a claim, a fact). Every {@code notX}
 * is exactly the negation of {@code X}, so it holds when the value is absent: "org_status notEquals
 * Active" refuses a statement without org_status as well. On a list value, {@code in} and
 * {@code matches} hold when every element does, {@code contains} when one element equals the operand;
 * on a string, {@code contains} looks for a space-separated token (a scope).
 */
enum Operator {
    PRESENT("present"), ABSENT("absent"),
    EQUALS("equals"), NOT_EQUALS("notEquals"),
    IN("in"), NOT_IN("notIn"),
    CONTAINS("contains"), NOT_CONTAINS("notContains"),
    MATCHES("matches"), NOT_MATCHES("notMatches");

    final String yaml;

    Operator(String yaml) {
        this.yaml = yaml;
    }

    static Operator of(String yaml) {
        for (Operator o : values()) {
            if (o.yaml.equals(yaml)) {
                return o;
            }
        }
        return null;
    }

    /** The operators written as a mapping key (present and absent are written alone). */
    static List<String> withOperand() {
        return Arrays.stream(values()).filter(o -> o != PRESENT && o != ABSENT).map(o -> o.yaml).toList();
    }

    /**
     * @param operand the compiled operand: a value (equals, contains), a list (in), a {@link Pattern} (matches)
     * @param dn      the value is a distinguished name, compared by RFC 4514 semantics
     */
    boolean test(Object actual, Object operand, boolean dn) {
        return switch (this) {
            case PRESENT -> actual != null;
            case ABSENT -> actual == null;
            case EQUALS -> actual != null && same(actual, operand, dn);
            case IN -> actual != null && (actual instanceof List<?> l
                    ? l.stream().allMatch(e -> oneOf(e, (List<?>) operand, dn))
                    : oneOf(actual, (List<?>) operand, dn));
            case CONTAINS -> actual instanceof List<?> l ? l.stream().anyMatch(e -> same(e, operand, dn))
                    : actual instanceof String s && Arrays.asList(s.trim().split(" +")).contains(String.valueOf(operand));
            case MATCHES -> actual != null && (actual instanceof List<?> l
                    ? !l.isEmpty() && l.stream().allMatch(e -> matches(e, (Pattern) operand))
                    : matches(actual, (Pattern) operand));
            case NOT_EQUALS -> !EQUALS.test(actual, operand, dn);
            case NOT_IN -> !IN.test(actual, operand, dn);
            case NOT_CONTAINS -> !CONTAINS.test(actual, operand, dn);
            case NOT_MATCHES -> !MATCHES.test(actual, operand, dn);
        };
    }

    private static boolean oneOf(Object actual, List<?> candidates, boolean dn) {
        return candidates.stream().anyMatch(c -> same(actual, c, dn));
    }

    private static boolean matches(Object actual, Pattern pattern) {
        return (actual instanceof String || actual instanceof Number || actual instanceof Boolean)
                && pattern.matcher(String.valueOf(actual)).matches();
    }

    /** JSON equality: numbers by value (YAML's 5 equals JSON's 5.0), lists element by element, DNs by RFC 4514. */
    static boolean same(Object a, Object b, boolean dn) {
        if (a instanceof Number x && b instanceof Number y) {
            try {
                return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
            } catch (NumberFormatException e) {
                return x.doubleValue() == y.doubleValue(); // NaN, infinities
            }
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i), dn)) {
                    return false;
                }
            }
            return true;
        }
        if (dn && a instanceof String actual && b instanceof String expected) {
            try {
                return DistinguishedNames.matches(expected, new X500Principal(actual));
            } catch (IllegalArgumentException e) {
                return actual.equals(expected);
            }
        }
        return Objects.equals(a, b);
    }
}
