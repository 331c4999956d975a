package io.registrar.policy;

import io.registrar.metadata.ClientMetadata;
import io.registrar.oauth.OAuthException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The decision trace of explain mode (issue 20 §5): each step of a registration or update in the order
 * it ran, what it changed in the metadata or why it refused. The pipeline takes a trace wherever it
 * runs, so that explain is the same code as a real registration; a real one runs with {@link #OFF},
 * which records nothing. A trace belongs to one request and is filled as that request runs, hence a
 * collector rather than a value.
 */
public final class Trace {

    /** Records nothing: the trace of a real registration or update. */
    public static final Trace OFF = new Trace(false);

    public static final String PASSED = "passed";
    public static final String CHANGED = "changed";
    public static final String REFUSED = "refused";

    /** One step as recorded: its name, outcome and what it has to say ({@code changed}, error, notes). */
    public record Step(String step, String outcome, Map<String, Object> details) {
        public Step {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(outcome, "outcome");
            details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }

        public Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("step", step);
            out.put("outcome", outcome);
            out.putAll(details);
            return out;
        }
    }

    private final boolean on;
    private final List<Step> steps = new ArrayList<>();
    private OAuthException refusal;

    private Trace(boolean on) {
        this.on = on;
    }

    /** A trace that records (explain mode). */
    public static Trace recording() {
        return new Trace(true);
    }

    public boolean on() {
        return on;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** The refusal a step recorded, if one did. */
    public OAuthException refusal() {
        return refusal;
    }

    /** Records a step that happened, with what it has to say. */
    public void note(String step, String outcome, Map<String, Object> details) {
        if (on) {
            steps.add(new Step(step, outcome, details));
        }
    }

    /**
     * Runs a step that may change the metadata: records what it changed (nothing: passed), or its
     * refusal, which is rethrown.
     */
    public ClientMetadata change(String step, ClientMetadata before, Supplier<ClientMetadata> work) {
        ClientMetadata after = run(step, work);
        if (on) {
            changed(step, before.document(), after.document());
        }
        return after;
    }

    /** Records what a step changed between two metadata documents (RFC 7591 §2 members). */
    public void changed(String step, Map<String, Object> before, Map<String, Object> after) {
        if (!on) {
            return;
        }
        Map<String, Object> diff = diff(before, after);
        note(step, diff.isEmpty() ? PASSED : CHANGED, diff.isEmpty() ? Map.of() : Map.of("changed", diff));
    }

    /** Runs a step that only checks: records it passed, or its refusal, which is rethrown. */
    public void check(String step, Runnable work) {
        run(step, () -> {
            work.run();
            return null;
        });
        note(step, PASSED, Map.of());
    }

    /** Runs part of a step: records only a refusal, which is rethrown; the caller records the outcome. */
    public <T> T run(String step, Supplier<T> work) {
        try {
            return work.get();
        } catch (OAuthException e) {
            refused(step, e);
            throw e;
        }
    }

    /** Records a refusal at {@code step}; only the first refusal counts (the one that ended the request). */
    public void refused(String step, OAuthException e) {
        if (!on || refusal != null) {
            return;
        }
        refusal = e;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("error", e.error().code());
        details.put("error_description", e.description());
        steps.add(new Step(step, REFUSED, details));
    }

    /**
     * Member by member: {@code {"action": "added", "to": v}}, {@code {"action": "removed", "from": v}}
     * or {@code {"action": "changed", "from": v, "to": w}}, in the order the members appear.
     */
    public static Map<String, Object> diff(Map<String, Object> before, Map<String, Object> after) {
        Set<String> members = new LinkedHashSet<>(before.keySet());
        members.addAll(after.keySet());
        Map<String, Object> out = new LinkedHashMap<>();
        for (String m : members) {
            boolean was = before.containsKey(m);
            boolean is = after.containsKey(m);
            Map<String, Object> change = new LinkedHashMap<>();
            if (was && !is) {
                change.put("action", "removed");
                change.put("from", before.get(m));
            } else if (!was && is) {
                change.put("action", "added");
                change.put("to", after.get(m));
            } else if (!Objects.equals(before.get(m), after.get(m))) {
                change.put("action", "changed");
                change.put("from", before.get(m));
                change.put("to", after.get(m));
            } else {
                continue;
            }
            out.put(m, change);
        }
        return out;
    }

    /**
     * The explain answer: {@code decision} accepted or refused, the steps, the metadata that would be
     * stored (when accepted) and the error the request would get (when refused).
     */
    public Map<String, Object> explanation(Map<String, Object> metadata) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("decision", refusal == null ? "accepted" : "refused");
        out.put("steps", steps.stream().map(Step::toJson).toList());
        if (refusal == null) {
            out.put("metadata", metadata);
        } else {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", refusal.error().code());
            error.put("error_description", refusal.description());
            out.put("error", error);
        }
        return out;
    }
}
