package io.ripcord.xdrgen;

import java.util.ArrayList;
import java.util.List;

/**
 * One version of a program (RFC 5531 section 12.2) as one class: its numbers; {@code Server}, an interface of
 * synchronous methods, and {@code AsyncServer}, the same returning {@code CompletableFuture}s; factories that
 * turn either into an {@code RpcProgram}; and {@code Client}, typed calls over any {@code RpcCaller} (TCP, Unix
 * socket, UDP), each synchronous and asynchronous, with and without per-call {@code CallOptions}. Procedure 0
 * is served as NULL (RFC 5531 section 12.1) whether or not the {@code .x} declares it; one that the {@code .x}
 * declares with another signature is an ordinary procedure.
 */
final class ProgramEmitter {

    private static final List<String> RESERVED = List.of("call", "options", "caller", "server", "name");

    /** A procedure: its Java method name, its arguments' names and shapes, its result's shape. */
    private record Procedure(Ast.Procedure ast, long number, String method, List<String> names, List<Shape> args,
                             Shape result) {
        boolean isNull() {
            return number == 0 && args.isEmpty() && result instanceof Shape.Void;
        }

        boolean voidResult() {
            return result instanceof Shape.Void;
        }

        String argumentsRecord() {
            return Character.toUpperCase(method.charAt(0)) + method.substring(1) + "Arguments";
        }
    }

    private final Mapping m;
    private final Ast.Program program;
    private final Ast.Version version;
    private final String cls;
    private final Codecs codecs;
    private final List<Procedure> procedures = new ArrayList<>();

    ProgramEmitter(Mapping mapping, Ast.Program program, Ast.Version version) throws XdrCompileException {
        this.m = mapping;
        this.program = program;
        this.version = version;
        this.cls = mapping.className(version);
        this.codecs = new Codecs(mapping, false);
        for (Ast.Procedure p : version.procedures()) {
            List<String> names = new ArrayList<>();
            List<Shape> args = new ArrayList<>();
            for (int i = 0; i < p.arguments().size(); i++) {
                Ast.Argument a = p.arguments().get(i);
                String name = a.name() != null ? Names.member(a.name())
                        : p.arguments().size() == 1 ? "arg" : "arg" + (i + 1);
                while (RESERVED.contains(name) || names.contains(name)) {
                    name = name + "_";
                }
                names.add(name);
                args.add(mapping.schema.shape(a.type()));
            }
            procedures.add(new Procedure(p, mapping.schema.value(p.number()), Names.member(p.name()), names, args,
                    mapping.schema.shape(p.result())));
        }
    }

    private String signature(Ast.Procedure p) {
        List<String> args = new ArrayList<>();
        for (Ast.Argument a : p.arguments()) {
            args.add(Mapping.spell(a.type()) + (a.name() == null ? "" : " " + a.name()));
        }
        return Mapping.spell(p.result()) + " " + p.name() + "(" + (args.isEmpty() ? "void" : String.join(", ", args))
                + ") = " + Ast.text(p.number());
    }

    private String doc(Procedure p) {
        return "{@code " + signature(p.ast()) + "} " + m.origin(p.ast().where()) + ".";
    }

    String emit() throws XdrCompileException {
        JavaWriter w = new JavaWriter();
        w.javadoc("{@code version " + version.name() + " = " + Ast.text(version.number()) + "} "
                        + m.origin(version.where()) + " of {@code program " + program.name() + " = "
                        + Ast.text(program.number()) + "} " + m.origin(program.where()) + ".",
                "Serve it with {@link #program(Server)} (or {@link #asyncProgram(AsyncServer)}) registered with an\n"
                        + "{@code RpcService}; call it with a {@link Client} over any {@code RpcCaller}.");
        w.open("public final class " + cls);
        w.blank();
        w.javadoc("The program number.");
        w.line("public static final int PROGRAM = " + FileClassesEmitter.intLiteral(program.number(),
                m.schema.value(program.number())) + ";");
        w.blank();
        w.javadoc("The version number.");
        w.line("public static final int VERSION = " + FileClassesEmitter.intLiteral(version.number(),
                m.schema.value(version.number())) + ";");
        for (Procedure p : procedures) {
            w.blank();
            w.javadoc(doc(p));
            w.line("public static final int " + Names.constant(p.ast().name()) + " = " + p.number() + ";");
        }
        w.blank();
        w.open("private " + cls + "()");
        w.close();
        servers(w);
        factories(w);
        argumentRecords(w);
        new ClientEmitter(w).emit();
        w.close();
        return w.toString();
    }

    private String parameters(Procedure p, boolean withCall) {
        List<String> out = new ArrayList<>();
        if (withCall) {
            out.add("RpcCall call");
        }
        for (int i = 0; i < p.args().size(); i++) {
            out.add(m.javaType(p.args().get(i)) + " " + p.names().get(i));
        }
        return String.join(", ", out);
    }

    private List<String> paramDocs(Procedure p) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < p.args().size(); i++) {
            out.add("@param " + p.names().get(i) + " {@code " + Mapping.spell(p.ast().arguments().get(i).type()) + "}"
                    + StructEmitter.describe(p.args().get(i)));
        }
        return out;
    }

    private void servers(JavaWriter w) {
        server(w, false, "The procedures as synchronous methods: each returns the result its call replies with. An"
                + "\nXdrException replies GARBAGE_ARGS (arguments whose content does not decode, such as a nested"
                + "\nencoding in an opaque), any other exception SYSTEM_ERR. They run where the program's actors"
                + "\nrun: inline on the connection's poller unless the program is given an executor, which a method"
                + "\nthat blocks needs.");
        server(w, true, "The procedures as asynchronous methods: the call replies when the future completes, from any"
                + "\nthread; a future that fails replies GARBAGE_ARGS for an XdrException, else SYSTEM_ERR. The"
                + "\nmethods run where {@link Server}'s do and must not block.");
    }

    private void server(JavaWriter w, boolean async, String about) {
        w.blank();
        w.javadoc(about);
        w.open("public interface " + (async ? "AsyncServer" : "Server"));
        for (Procedure p : procedures) {
            if (p.isNull()) {
                continue;
            }
            w.blank();
            List<String> doc = new ArrayList<>();
            doc.add(doc(p));
            doc.add("@param call the call: its credential and its caller's address");
            doc.addAll(paramDocs(p));
            if (async) {
                doc.add("@return the future result");
            } else {
                if (!p.voidResult()) {
                    doc.add("@return the result" + StructEmitter.describe(p.result()));
                }
                doc.add("@throws XdrException when the arguments' content does not decode: GARBAGE_ARGS");
                doc.add("@throws Exception to reply SYSTEM_ERR");
            }
            w.javadoc(doc.toArray(String[]::new));
            String result = async ? "CompletableFuture<" + (p.voidResult() ? "Void" : m.boxed(p.result())) + ">"
                    : p.voidResult() ? "void" : m.javaType(p.result());
            w.line(result + " " + p.method() + "(" + parameters(p, true) + ")" + (async ? "" : " throws Exception") + ";");
        }
        w.close();
    }

    private void factories(JavaWriter w) {
        for (boolean async : new boolean[] {false, true}) {
            String iface = async ? "AsyncServer" : "Server";
            String programMethod = async ? "asyncProgram" : "program";
            String builderMethod = async ? "asyncBuilder" : "builder";
            w.blank();
            w.javadoc("The program version served by {@code server}, named {@code " + program.name() + "}.",
                    "@param server the implementation",
                    "@return the program, to register with an {@code RpcService} or an {@code RpcClient}");
            w.open("public static RpcProgram " + programMethod + "(" + iface + " server)");
            w.line("return " + builderMethod + "(" + JavaWriter.literal(program.name()) + ", server).build();");
            w.close();
            w.blank();
            w.javadoc("A builder of the program version served by {@code server}, every procedure's actor added:"
                            + "\nset an executor or a listener, then build.",
                    "@param name   the program's name, as GF-DUMP lists it",
                    "@param server the implementation",
                    "@return the builder");
            w.open("public static RpcProgram.Builder " + builderMethod + "(String name, " + iface + " server)");
            w.line("Objects.requireNonNull(server, \"server\");");
            List<String> actors = new ArrayList<>();
            boolean nullDeclared = false;
            for (Procedure p : procedures) {
                String constant = Names.constant(p.ast().name());
                nullDeclared |= p.number() == 0;
                if (p.isNull()) {
                    actors.add(".actor(RpcActor.of(" + constant + ", \"" + p.ast().name()
                            + "\", RpcActor.VOID, (call, a) -> call.replyVoid()).repliesInline())");
                } else {
                    actors.add(".actor(RpcActor.of(" + constant + ", \"" + p.ast().name() + "\", " + argumentReader(p)
                            + ",\n        (call, a) -> " + handler(p, async) + "))");
                }
            }
            if (!nullDeclared) {
                actors.add(0, ".actor(RpcActor.of(0, \"NULL\", RpcActor.VOID, (call, a) -> call.replyVoid())"
                        + ".repliesInline())");
            }
            w.line("return RpcProgram.builder(PROGRAM, VERSION, name)");
            w.line(("        " + String.join("\n", actors)).replace("\n", "\n        ") + ";");
            w.close();
        }
        w.blank();
        w.javadoc("Replies with what a synchronous method returns; its XdrException means the arguments' content"
                + "\ndoes not decode (a nested encoding in an opaque, say): GARBAGE_ARGS.");
        w.open("private static <T> void answer(RpcCall call, Callable<T> method, XdrWriter<? super T> writer)"
                + " throws Exception");
        w.line("T result;");
        w.open("try");
        w.line("result = method.call();");
        w.indentBack();
        w.open("} catch (XdrException e)");
        w.line("garbageArgs(call, e);");
        w.line("return;");
        w.close();
        w.line("call.reply(result, writer);");
        w.close();
        w.blank();
        w.open("private static void garbageArgs(RpcCall call, XdrException e)");
        w.line("call.replyError(AcceptStat.GARBAGE_ARGS);");
        w.close();
    }

    private String argumentReader(Procedure p) {
        if (p.args().isEmpty()) {
            return "RpcActor.VOID";
        }
        if (p.args().size() > 1) {
            return p.argumentsRecord() + "::decode";
        }
        return codecs.reader(p.args().get(0), 0);
    }

    private String handler(Procedure p, boolean async) {
        List<String> args = new ArrayList<>();
        args.add("call");
        if (p.args().size() == 1) {
            args.add("a");
        } else {
            for (String n : p.names()) {
                args.add("a." + n + "()");
            }
        }
        String invoke = "server." + p.method() + "(" + String.join(", ", args) + ")";
        String writer = p.voidResult() ? "(e0, v0) -> { }" : codecs.writer(p.result(), 0);
        if (async) {
            return "call.replyWhenDone(" + invoke + ", " + writer + ")";
        }
        String method = p.voidResult() ? "() -> {\n    " + invoke + ";\n    return null;\n}" : "() -> " + invoke;
        return "answer(call, " + method + ", " + writer + ")";
    }

    private void argumentRecords(JavaWriter w) {
        for (Procedure p : procedures) {
            if (p.args().size() < 2) {
                continue;
            }
            List<String> components = new ArrayList<>();
            for (int i = 0; i < p.args().size(); i++) {
                components.add(m.javaType(p.args().get(i)) + " " + p.names().get(i));
            }
            String rec = p.argumentsRecord();
            w.blank();
            w.javadoc("The arguments of {@code " + p.ast().name() + "}, one after the other on the wire (rpcgen's -N).");
            w.open("private record " + rec + "(" + String.join(", ", components) + ")");
            w.open("static " + rec + " decode(XdrDecoder d) throws XdrException");
            w.line("return new " + rec + "(");
            for (int i = 0; i < p.args().size(); i++) {
                w.line("        " + codecs.decode(p.args().get(i), "d", 1) + (i + 1 < p.args().size() ? "," : ");"));
            }
            w.close();
            w.blank();
            w.open("static void encode(XdrEncoder e, " + rec + " v)");
            for (int i = 0; i < p.args().size(); i++) {
                w.line(codecs.encode(p.args().get(i), "e", "v." + p.names().get(i) + "()", 1) + ";");
            }
            w.close();
            w.close();
        }
    }

    /** The {@code Client} nested class. */
    private final class ClientEmitter {
        private final JavaWriter w;

        ClientEmitter(JavaWriter w) {
            this.w = w;
        }

        void emit() {
            w.blank();
            w.javadoc("Typed calls of {@code " + version.name() + "} over an {@code RpcCaller}: {@code RpcClient} (TCP, Unix"
                    + "\nsocket) or {@code RpcUdpClient}. Each procedure has a blocking method (never on a poller) and"
                    + "\none returning a future, each also with per-call {@code CallOptions} (timeout, credential)."
                    + "\nThread-safe as the caller is.");
            w.open("public static final class Client");
            w.line("private final RpcCaller caller;");
            w.blank();
            w.javadoc("A client calling through {@code caller}.", "@param caller the connection (or socket) to call over");
            w.open("public Client(RpcCaller caller)");
            w.line("this.caller = Objects.requireNonNull(caller, \"caller\");");
            w.close();
            w.blank();
            w.javadoc("{@return the caller this client calls through}");
            w.open("public RpcCaller caller()");
            w.line("return caller;");
            w.close();
            boolean nullDeclared = procedures.stream().anyMatch(p -> p.number() == 0);
            if (!nullDeclared) {
                nullProcedure();
            }
            for (Procedure p : procedures) {
                methods(p);
            }
            w.close();
        }

        private void nullProcedure() {
            w.blank();
            w.javadoc("Calls procedure 0, NULL (RFC 5531 section 12.1), which every version serves.",
                    "@throws RpcException         why the call failed",
                    "@throws InterruptedException if interrupted while waiting");
            w.open("public void nullProcedure() throws RpcException, InterruptedException");
            w.line("caller.callSync(PROGRAM, VERSION, 0, (e0, v0) -> { }, null, RpcActor.VOID, CallOptions.defaults());");
            w.close();
            w.blank();
            w.javadoc("Calls procedure 0, NULL, without waiting.", "@return completes when the server answers");
            w.open("public CompletableFuture<Void> nullProcedureAsync()");
            w.line("return caller.call(PROGRAM, VERSION, 0, (e0, v0) -> { }, null, RpcActor.VOID, CallOptions.defaults());");
            w.close();
        }

        private void methods(Procedure p) {
            String constant = Names.constant(p.ast().name());
            String result = p.voidResult() ? "void" : m.javaType(p.result());
            String futureOf = p.voidResult() ? "Void" : m.boxed(p.result());
            String reader = p.voidResult() ? "RpcActor.VOID" : codecs.reader(p.result(), 0);
            String writer;
            String value;
            if (p.args().isEmpty()) {
                writer = "(e0, v0) -> { }";
                value = "null";
            } else if (p.args().size() == 1) {
                writer = codecs.writer(p.args().get(0), 0);
                value = p.names().get(0);
            } else {
                writer = p.argumentsRecord() + "::encode";
                value = "new " + p.argumentsRecord() + "(" + String.join(", ", p.names()) + ")";
            }
            String params = parameters(p, false);
            String withOptions = params.isEmpty() ? "CallOptions options" : params + ", CallOptions options";
            String names = String.join(", ", p.names());
            String namesWithDefaults = names.isEmpty() ? "CallOptions.defaults()" : names + ", CallOptions.defaults()";
            String call = "(PROGRAM, VERSION, " + constant + ", " + writer + ", " + value + ", " + reader + ", options)";
            List<String> docs = new ArrayList<>(paramDocs(p));

            w.blank();
            List<String> d = new ArrayList<>();
            d.add(doc(p));
            d.addAll(docs);
            if (!p.voidResult()) {
                d.add("@return the result" + StructEmitter.describe(p.result()));
            }
            d.add("@throws RpcException         why the call failed");
            d.add("@throws InterruptedException if interrupted while waiting (the call goes on; its result is dropped)");
            w.javadoc(d.toArray(String[]::new));
            w.open("public " + result + " " + p.method() + "(" + params + ") throws RpcException, InterruptedException");
            w.line((p.voidResult() ? "" : "return ") + p.method() + "(" + namesWithDefaults + ");");
            w.close();

            w.blank();
            d.add(d.size() - 2, "@param options the call's timeout and credential");
            w.javadoc(d.toArray(String[]::new));
            w.open("public " + result + " " + p.method() + "(" + withOptions + ") throws RpcException, InterruptedException");
            w.line((p.voidResult() ? "" : "return ") + "caller.callSync" + call + ";");
            w.close();

            List<String> a = new ArrayList<>();
            a.add(doc(p) + " Does not wait.");
            a.addAll(docs);
            a.add("@return completes with the result, or with the {@code RpcException} why the call failed");
            w.blank();
            w.javadoc(a.toArray(String[]::new));
            w.open("public CompletableFuture<" + futureOf + "> " + p.method() + "Async(" + params + ")");
            w.line("return " + p.method() + "Async(" + namesWithDefaults + ");");
            w.close();

            a.add(a.size() - 1, "@param options the call's timeout and credential");
            w.blank();
            w.javadoc(a.toArray(String[]::new));
            w.open("public CompletableFuture<" + futureOf + "> " + p.method() + "Async(" + withOptions + ")");
            w.line("return caller.call" + call + ";");
            w.close();
        }
    }
}
