package io.ripcord.xdrgen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the types whose decoding must count its nesting: those on a cycle of type references (Tarjan's
 * strongly connected components) other than the link of a linked list, which is decoded in a loop instead. A
 * hostile message can nest such a type only as deep as the decoder allows.
 */
final class Recursion {

    private final Schema schema;
    private final Map<Ast.Definition, List<Ast.Definition>> edges = new HashMap<>();
    private final Map<Ast.Definition, Integer> index = new HashMap<>();
    private final Map<Ast.Definition, Integer> low = new HashMap<>();
    private final Deque<Ast.Definition> stack = new ArrayDeque<>();
    private final Set<Ast.Definition> onStack = new HashSet<>();
    private final Set<Ast.Definition> guarded = new HashSet<>();
    private int counter;

    private Recursion(Schema schema) {
        this.schema = schema;
    }

    static Set<Ast.Definition> guarded(Schema schema) throws XdrCompileException {
        Recursion r = new Recursion(schema);
        for (Ast.Definition d : schema.definitions()) {
            if (d instanceof Ast.Struct || d instanceof Ast.Union) {
                r.edges.put(d, r.references(d));
            }
        }
        for (Ast.Definition d : r.edges.keySet()) {
            if (!r.index.containsKey(d)) {
                r.connect(d);
            }
        }
        return r.guarded;
    }

    private List<Ast.Definition> references(Ast.Definition d) throws XdrCompileException {
        List<Ast.Definition> out = new ArrayList<>();
        if (d instanceof Ast.Struct s) {
            int link = Schema.selfLink(schema, s);
            for (int i = 0; i < s.fields().size(); i++) {
                if (i != link) {
                    collect(schema.shape(s.fields().get(i)), out);
                }
            }
        } else {
            Ast.Union u = (Ast.Union) d;
            for (Ast.Arm a : u.arms()) {
                collect(schema.shape(a.declaration()), out);
            }
            if (u.defaultArm() != null) {
                collect(schema.shape(u.defaultArm().declaration()), out);
            }
        }
        return out;
    }

    private static void collect(Shape s, List<Ast.Definition> out) {
        if (s instanceof Shape.Defined d && !(d.definition() instanceof Ast.Enum)) {
            out.add(d.definition());
        } else if (s instanceof Shape.Array a) {
            collect(a.element(), out);
        } else if (s instanceof Shape.Optional o) {
            collect(o.element(), out);
        }
    }

    private void connect(Ast.Definition v) {
        index.put(v, counter);
        low.put(v, counter);
        counter++;
        stack.push(v);
        onStack.add(v);
        for (Ast.Definition w : edges.getOrDefault(v, List.of())) {
            if (!index.containsKey(w)) {
                connect(w);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<Ast.Definition> component = new ArrayList<>();
            Ast.Definition w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (w != v);
            if (component.size() > 1 || edges.getOrDefault(v, List.of()).contains(v)) {
                guarded.addAll(component);
            }
        }
    }
}
