using System.Collections.Generic;
using System.Linq;
using DslOptim.Generators.Model;
using DslOptim.Generators.Symbolic;

namespace DslOptim.Generators.Emit;

/// <summary>
/// The stateful form of an optimizer (DESIGN.md, "What the generator emits"): a nested <c>State&lt;T&gt;</c> with one
/// buffer per per-element state and a property per scalar state, <c>CreateState&lt;T&gt;(length)</c>, and
/// <c>Step(w, g, state, t)</c> — scalar states once per step, then ONE fused pass that reads w, g and the states
/// and writes w and the states, through the runtime's <c>StatefulKernel</c>.
/// </summary>
internal static class StatefulEmitter
{
    private const string Kernels = OptimizerEmitter.Kernels;
    private const string Constraint = OptimizerEmitter.Constraint;
    private static readonly string[] Slots = { "s0", "s1", "s2", "s3" };

    public static string CurrentLocal(string state) => StatePrefix(state) + "Now";

    public static string KernelShape(OptimizerSpec spec)
    {
        var elementwise = spec.Model.States.Where(s => !s.IsScalar).Select(s => s.ParameterName).ToList();
        var scalar = spec.Model.States.Where(s => s.IsScalar).Select(s => s.ParameterName).ToList();
        var states = string.Join(", ", elementwise);
        var text = $"one fused pass: reads w, g, {states}; writes w, {states}; values that depend only on t, the hyperparameters and the scalar states are computed once per step.";
        return scalar.Count == 0 ? text : text + $" Scalar states ({string.Join(", ", scalar)}) are updated once per step, before the pass.";
    }

    public static IEnumerable<(string Name, string Text)> Formulas(OptimizerSpec spec)
    {
        foreach (var item in ReductionEmitter.Formulas(spec))
        {
            yield return item;
        }
        foreach (var state in spec.Model.States)
        {
            var initial = state.Initial == 0 ? "0" : Numbers.MathText(state.Initial);
            yield return ($"{state.ParameterName}_t", MathRenderer.Render(state.Formula.Body) + $"   ({state.ParameterName}_0 = {initial}{(state.IsScalar ? ", scalar" : string.Empty)})");
        }
        var direction = spec.Model.Direction;
        yield return direction.Role == FormulaRole.Potential
            ? ("d", $"φ′(g) = {MathRenderer.Render(spec.Direction.First)}")
            : ("d", MathRenderer.Render(direction.Body));
        var update = spec.Model.Update is { } declared ? MathRenderer.Render(declared.Body) : "w − η_t·d";
        yield return ("update", $"w ← {update}");
    }

    public static void Write(SourceWriter writer, OptimizerSpec spec)
    {
        var model = spec.Model;
        var elementwise = model.States.Where(s => !s.IsScalar).ToList();
        var observedParameter = ScheduleEmitter.Parameter(model.Schedule);
        var observedArgument = ScheduleEmitter.Argument(model.Schedule);
        WriteStateClass(writer, model);

        writer.Line("/// <summary>Creates this optimizer's state for <paramref name=\"length\"/> weights, every state at its initial value.</summary>");
        writer.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"length\"/> is negative.</exception>");
        writer.Line($"public State<T> CreateState<T>(int length) {Constraint} => new(length);");
        writer.Line();

        foreach (var type in new[] { "double", "float" })
        {
            writer.Line("/// <summary>One step: the scalar states, then one fused pass over w, g and the states (see the header).</summary>");
            writer.Line("/// <param name=\"w\">The weights, updated in place.</param>");
            writer.Line("/// <param name=\"g\">The gradient, of the same length.</param>");
            writer.Line("/// <param name=\"state\">The state from <see cref=\"CreateState{T}(int)\"/> for this length, updated in place.</param>");
            ScheduleEmitter.WriteParameterDoc(writer, model.Schedule);
            writer.Line("/// <param name=\"t\">The step index, 1 for the first step.</param>");
            writer.Line("/// <exception cref=\"global::System.ArgumentException\">A length differs (nothing is written).</exception>");
            writer.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"t\"/> is less than 1.</exception>");
            writer.Line($"public void Step(global::System.Span<{type}> w, global::System.ReadOnlySpan<{type}> g, State<{type}> state, {observedParameter}long t) => StepCore(w, g, state, {observedArgument}t);");
            writer.Line();
        }

        WriteCheckpoints(writer, spec);

        var reserved = new List<string> { "w", "g", "T" };
        reserved.AddRange(Slots);
        reserved.AddRange(model.States.Select(s => s.ParameterName));
        var roots = spec.StateUpdates.Concat(new[] { spec.Update }).ToList();
        var plan = KernelPlan.ForUpdate(roots, reserved);
        var operatorName = "StepUpdate";

        writer.Open($"private void StepCore<T>(global::System.Span<T> w, global::System.ReadOnlySpan<T> g, State<T> state, {observedParameter}long t) {Constraint}");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(state);");
        writer.Line($"{Kernels}.StepGuard.Check(w.Length, g.Length, t, {OptimizerEmitter.ConstructedTest(model)}, {OptimizerEmitter.Quote(model.Name)});");
        writer.Line($"{Kernels}.StepGuard.CheckState(state.Length, w.Length);");
        writer.Line($"double eta = {ScheduleEmitter.Call(model.Schedule)};");
        ReductionEmitter.WriteStepPrologue(writer, spec);
        foreach (var state in model.States.Where(s => s.IsScalar))
        {
            writer.Line($"double {CurrentLocal(state.Name)} = {OptimizerEmitter.StepValue(state.Formula.Body, spec)}; // {state.ParameterName}_t = {MathRenderer.Render(state.Formula.Body)}");
        }
        var arguments = string.Join(", ", plan.Hoisted.Select(h => OptimizerEmitter.StepValue(h.Value, spec)));
        writer.Line($"var update = new {operatorName}<T>({arguments});");
        var spans = Enumerable.Range(0, Slots.Length).Select(i => i < elementwise.Count ? "state." + elementwise[i].Name : "default");
        writer.Line($"{Kernels}.StatefulKernel.Apply(w, g, {string.Join(", ", spans)}, in update);");
        foreach (var state in model.States.Where(s => s.IsScalar))
        {
            // Stored after the pass, so that a step that throws leaves the state as it was.
            writer.Line($"state.{state.Name} = {CurrentLocal(state.Name)};");
        }
        writer.Close();
        writer.Line();

        ParameterSetEmitter.WriteStateful(writer, spec, plan, operatorName);
        WriteOperator(writer, spec, plan, operatorName, elementwise, plan.Roots);
        ReductionEmitter.WriteTerms(writer, spec);
    }

    private static void WriteCheckpoints(SourceWriter writer, OptimizerSpec spec)
    {
        var model = spec.Model;
        const string Checkpoints = "global::DslOptim.Checkpoints";
        writer.Line("/// <summary>");
        writer.Line("/// Writes a checkpoint of <paramref name=\"state\"/> after step <paramref name=\"t\"/>: a header (this optimizer's name, a hash of");
        writer.Line("/// its declaration and of its hyperparameters, T, the length, t), then every state.");
        writer.Line("/// </summary>");
        writer.Line("/// <exception cref=\"global::System.ArgumentNullException\">An argument is null.</exception>");
        writer.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"t\"/> is negative.</exception>");
        writer.Open($"public void SaveState<T>(State<T> state, global::System.IO.Stream stream, long t) {Constraint}");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(state);");
        writer.Line("global::System.ArgumentOutOfRangeException.ThrowIfNegative(t);");
        writer.Line($"{Checkpoints}.Checkpoint.Write(stream, CheckpointHeaderFor(state, t), state.CheckpointBuffers(), state.CheckpointScalars());");
        writer.Close();
        writer.Line();
        writer.Line("/// <summary>");
        writer.Line("/// Reads a checkpoint written by <see cref=\"SaveState{T}\"/> into <paramref name=\"state\"/> and returns its step t, so that the run");
        writer.Line("/// resumes with t + 1. The whole checkpoint is read and checked first: a truncated one, or one of another optimizer,");
        writer.Line("/// declaration, hyperparameters, length, T or parameter-set layout, throws and leaves the state unchanged.");
        writer.Line("/// </summary>");
        writer.Line("/// <exception cref=\"global::System.IO.InvalidDataException\">The checkpoint is truncated or does not fit; the message says what differs.</exception>");
        writer.Open($"public long LoadState<T>(State<T> state, global::System.IO.Stream stream) {Constraint}");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(state);");
        writer.Line($"var (header, buffers, scalars) = {Checkpoints}.Checkpoint.Read<T>(stream);");
        writer.Line($"{Checkpoints}.Checkpoint.Verify(CheckpointHeaderFor(state, header.Step), header);");
        writer.Line("state.Restore(buffers, scalars);");
        writer.Line("return header.Step;");
        writer.Close();
        writer.Line();
        var hyperparameters = string.Join(", ", model.Hyperparameters.Select(h => h.Name));
        var elementwise = model.States.Count(s => !s.IsScalar);
        var scalar = model.States.Count(s => s.IsScalar);
        writer.Line($"// The declaration hash covers the states' and the update's formulas: a checkpoint of an edited declaration is refused.");
        writer.Line($"// A state of a parameter set also records the set's layout (its tensors' lengths), checked on loading.");
        writer.Open($"private {Checkpoints}.CheckpointHeader CheckpointHeaderFor<T>(State<T> state, long t) {Constraint}");
        writer.Line($"var (tensors, layout) = {Checkpoints}.Checkpoint.LayoutOf(state.ParameterSet);");
        writer.Line($"return new({OptimizerEmitter.Quote(model.Name)}, 0x{DeclarationHash(spec):X16}UL, {Checkpoints}.Checkpoint.Hash(new double[] {{ {hyperparameters} }}),");
        writer.Line($"    typeof(T) == typeof(float) ? \"float\" : \"double\", state.Length, t, {elementwise}, {scalar}, tensors, layout);");
        writer.Close();
        writer.Line();
    }

    /// <summary>FNV-1a over the canonical text of the states, the direction and the update.</summary>
    private static ulong DeclarationHash(OptimizerSpec spec)
    {
        var text = new System.Text.StringBuilder();
        foreach (var state in spec.Model.States)
        {
            text.Append(state.Name).Append('=').Append(MathRenderer.Render(state.Formula.Body)).Append('@').Append(Numbers.CSharpLiteral(state.Initial)).Append(';');
        }
        foreach (var (name, formula) in Formulas(spec))
        {
            text.Append(name).Append('=').Append(formula).Append(';');
        }
        var hash = 14695981039346656037UL;
        foreach (var c in text.ToString())
        {
            hash = (hash ^ (byte)c) * 1099511628211UL;
            hash = (hash ^ (byte)(c >> 8)) * 1099511628211UL;
        }
        return hash;
    }

    private static void WriteStateClass(SourceWriter writer, OptimizerModel model)
    {
        writer.Line($"/// <summary>The state of {model.Name} for weights of one length: one buffer per per-element state, and the scalar states.</summary>");
        writer.Open($"public sealed class State<T> {Constraint}");
        foreach (var state in model.States.Where(s => !s.IsScalar))
        {
            writer.Line($"private readonly global::System.Memory<T> _{StatePrefix(state.Name)};");
        }
        writer.Line();
        writer.Open("internal State(int length)");
        writer.Line("global::System.ArgumentOutOfRangeException.ThrowIfNegative(length);");
        writer.Line("Length = length;");
        if (model.States.Any(s => !s.IsScalar))
        {
            writer.Line("// Pinned, cache-line aligned and staggered by slot, so that one pass over w, g and the states streams them at");
            writer.Line("// full bandwidth (arrays the runtime places a power of two apart compete for cache sets and DRAM banks).");
        }
        var slot = 0;
        foreach (var state in model.States)
        {
            if (state.IsScalar)
            {
                writer.Line($"{state.Name} = {Numbers.CSharpLiteral(state.Initial)};");
                continue;
            }
            writer.Line($"_{StatePrefix(state.Name)} = {Kernels}.StateBuffers.Allocate<T>(length, {slot++});");
            if (state.Initial != 0)
            {
                writer.Line($"_{StatePrefix(state.Name)}.Span.Fill(T.CreateTruncating({Numbers.CSharpLiteral(state.Initial)}));");
            }
        }
        writer.Close();
        writer.Line();
        writer.Line("/// <summary>The number of weights this state belongs to.</summary>");
        writer.Line("public int Length { get; }");
        ParameterSetEmitter.WriteStateMembers(writer, model);
        var buffers = model.States.Where(s => !s.IsScalar).Select(s => "_" + StatePrefix(s.Name)).ToList();
        var scalars = model.States.Where(s => s.IsScalar).Select(s => s.Name).ToList();
        writer.Line();
        writer.Line(buffers.Count == 0
            ? "internal global::System.Memory<T>[] CheckpointBuffers() => global::System.Array.Empty<global::System.Memory<T>>();"
            : $"internal global::System.Memory<T>[] CheckpointBuffers() => new[] {{ {string.Join(", ", buffers)} }};");
        writer.Line(scalars.Count == 0
            ? "internal double[] CheckpointScalars() => global::System.Array.Empty<double>();"
            : $"internal double[] CheckpointScalars() => new[] {{ {string.Join(", ", scalars)} }};");
        writer.Line();
        writer.Line("// Called only after the checkpoint was read whole and verified, so a bad one never gets here.");
        writer.Open("internal void Restore(T[][] buffers, double[] scalars)");
        for (var i = 0; i < buffers.Count; i++)
        {
            writer.Line($"new global::System.ReadOnlySpan<T>(buffers[{i}]).CopyTo({buffers[i]}.Span);");
        }
        for (var i = 0; i < scalars.Count; i++)
        {
            writer.Line($"{scalars[i]} = scalars[{i}];");
        }
        writer.Close();
        foreach (var state in model.States)
        {
            writer.Line();
            var initial = Numbers.MathText(state.Initial);
            writer.Line($"/// <summary>{OptimizerEmitter.Xml($"{state.ParameterName}_t = {MathRenderer.Render(state.Formula.Body)}, {state.ParameterName}_0 = {initial}")}.</summary>");
            writer.Line(state.IsScalar
                ? $"public double {state.Name} {{ get; set; }}"
                : $"public global::System.Span<T> {state.Name} => _{StatePrefix(state.Name)}.Span;");
        }
        writer.Close();
        writer.Line();
    }

    private static void WriteOperator(SourceWriter writer, OptimizerSpec spec, KernelPlan plan, string operatorName, List<StateModel> elementwise, IReadOnlyList<Expr> roots)
    {
        writer.Line("/// <summary>");
        foreach (var (name, text) in Formulas(spec))
        {
            writer.Line($"/// {OptimizerEmitter.Xml(name)} = {OptimizerEmitter.Xml(text)}");
        }
        writer.Line("/// </summary>");
        writer.Open($"private readonly struct {operatorName}<T> : {Kernels}.IStatefulUpdate<T> {Constraint}");
        foreach (var hoisted in plan.Hoisted)
        {
            writer.Line($"private readonly T {hoisted.Field}; // {MathRenderer.Render(hoisted.Value)}");
        }
        writer.Line();
        writer.Open($"public {operatorName}({string.Join(", ", plan.Hoisted.Select(h => "double " + h.Parameter))})");
        foreach (var hoisted in plan.Hoisted)
        {
            writer.Line($"{hoisted.Field} = T.CreateTruncating({hoisted.Parameter});");
        }
        writer.Close();
        writer.Line();
        writer.Line($"public static int StateCount => {elementwise.Count};");

        string Name(Symbol symbol) => symbol.Kind switch
        {
            SymbolRole.Weight => "w",
            SymbolRole.StatePrevious => StatePrefix(symbol.Name),
            _ => "g",
        };

        var types = new[] { "T" }.Concat(OptimizerEmitter.Widths.Select(w => $"global::System.Runtime.Intrinsics.{w}<T>")).ToArray();
        for (var i = 0; i < types.Length; i++)
        {
            var type = types[i];
            var refs = string.Join(", ", Slots.Select(slot => $"ref {type} {slot}"));
            writer.Line();
            writer.Line(OptimizerEmitter.Inline);
            writer.Open($"public {type} Invoke({type} w, {type} g, {refs})");
            var names = new Dictionary<Expr, string>();
            var dialect = OptimizerEmitter.OverloadDialect(writer, plan, i == 0 ? null : OptimizerEmitter.Widths[i - 1], Name, names);
            for (var s = 0; s < elementwise.Count; s++)
            {
                writer.Line($"var {StatePrefix(elementwise[s].Name)} = {Slots[s]}; // {elementwise[s].ParameterName}_{{t−1}}");
            }
            foreach (var shared in plan.SharedForAll(roots))
            {
                writer.Line($"var {shared.Local} = {dialect.Render(shared.Value)}; // {MathRenderer.Render(shared.Value)}");
                names[shared.Value] = shared.Local;
            }
            for (var s = 0; s < elementwise.Count; s++)
            {
                writer.Line($"{Slots[s]} = {dialect.Render(roots[s])}; // {elementwise[s].ParameterName}_t");
            }
            writer.Line($"return {dialect.Render(roots[roots.Count - 1])};");
            writer.Close();
        }
        writer.Close();
    }

    private static string StatePrefix(string state) => char.ToLowerInvariant(state[0]) + state.Substring(1);
}
