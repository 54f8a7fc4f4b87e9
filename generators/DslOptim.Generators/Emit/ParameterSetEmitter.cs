using System.Linq;
using DslOptim.Generators.Model;
using DslOptim.Generators.Symbolic;

namespace DslOptim.Generators.Emit;

/// <summary>
/// The many-tensor form of an optimizer (DESIGN.md, "What the generator emits"): <c>Step(ParameterSet&lt;T&gt; set, t)</c>
/// for a stateless optimizer; <c>CreateState&lt;T&gt;(ParameterSet&lt;T&gt; set)</c> and <c>Step(set, state, t)</c> for a
/// stateful one, whose state is one buffer per per-element state over the whole set (tensor i at
/// <c>set.OffsetOf(i)</c>), so checkpoints work unchanged. The same operator struct as the span step, run by the
/// runtime's <c>ParameterSetKernel</c> over fixed slices on up to <c>Parallelism.MaxThreads</c> threads; an isotropic
/// potential's norm is taken over the whole set (global-norm clipping).
/// </summary>
internal static class ParameterSetEmitter
{
    private const string Kernels = OptimizerEmitter.Kernels;
    private const string Constraint = OptimizerEmitter.Constraint;
    private const string SetType = "global::DslOptim.ParameterSet";

    /// <summary>
    /// Whether the optimizer gets set steps: not when it declares [Reduction]s, whose sums are taken over one tensor
    /// (the simplex of exponentiated gradient, the sphere of Riemannian SGD); over a set it would be ambiguous whether
    /// each tensor or the whole set is the simplex or sphere, so such optimizers step one tensor at a time.
    /// </summary>
    internal static bool HasSetStep(OptimizerModel model) => model.Reductions.Count == 0;

    /// <summary>Step(set, t) of a stateless optimizer: elementwise, or isotropic with the norm over the whole set.</summary>
    public static void WriteStateless(SourceWriter writer, OptimizerSpec spec)
    {
        var model = spec.Model;
        if (!HasSetStep(model))
        {
            return;
        }
        var observedParameter = ScheduleEmitter.Parameter(model.Schedule);
        var observedArgument = ScheduleEmitter.Argument(model.Schedule);
        var summary = spec.IsIsotropic
            ? "One step of (1) on every tensor of a parameter set, with the isotropic potential's norm taken over the whole set (global-norm clipping): w ← w − η_t·h′(s)/s·g with s = ‖g‖ over all tensors; nothing moves when s = 0."
            : "One step of (1) on every tensor of a parameter set: w ← w − η_t·∇K(g), one fused pass over each tensor.";
        writer.Line();
        foreach (var type in new[] { "double", "float" })
        {
            writer.Line($"/// <summary>{OptimizerEmitter.Xml(summary)} Runs on up to <see cref=\"global::DslOptim.Parallelism.MaxThreads\"/> threads; bitwise the same on any number.</summary>");
            writer.Line("/// <param name=\"set\">The weight tensors, updated in place, and their gradients.</param>");
            ScheduleEmitter.WriteParameterDoc(writer, model.Schedule);
            writer.Line("/// <param name=\"t\">The step index, 1 for the first step; passed to the schedule.</param>");
            writer.Line("/// <exception cref=\"global::System.ArgumentNullException\"><paramref name=\"set\"/> is null.</exception>");
            writer.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"t\"/> is less than 1.</exception>");
            writer.Line($"public void Step({SetType}<{type}> set, {observedParameter}long t) => StepCore(set, {observedArgument}t);");
            writer.Line();
        }

        writer.Open($"private void StepCore<T>({SetType}<T> set, {observedParameter}long t) {Constraint}");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(set);");
        writer.Line($"{Kernels}.StepGuard.Check(0, 0, t, {OptimizerEmitter.ConstructedTest(model)}, {OptimizerEmitter.Quote(model.Name)});");
        writer.Line($"double eta = {ScheduleEmitter.Call(model.Schedule)};");
        if (spec.IsIsotropic)
        {
            var h = spec.Direction.Formula;
            writer.Line("// Pass 1: s = ‖g‖ over every tensor of the set, in fixed slices combined in order, so the result does not depend on threading.");
            writer.Line("double s = set.GradientNorm();");
            writer.Line("if (s == 0.0)");
            writer.Line("{");
            writer.Line("    // ∇K(0) = 0 when h′(0) = 0 (Theorem 2's assumption): nothing moves.");
            writer.Line("    return;");
            writer.Line("}");
            writer.Line();
            writer.Line("// Pass 2: w ← w − η_t·h′(s)/s·g on every tensor, the scale computed once in double.");
            writer.Line($"var update = new {Kernels}.ScaledSubtract<T>(T.CreateTruncating(eta * {h.Name}GradientScale(s)));");
        }
        else
        {
            var plan = KernelPlan.ForUpdate(new[] { spec.Update }, OptimizerEmitter.ReservedNames(spec));
            var arguments = string.Join(", ", plan.Hoisted.Select(h => OptimizerEmitter.StepValue(h.Value, spec)));
            writer.Line($"var update = new {spec.Model.Direction.Name}Update<T>({arguments});");
        }
        writer.Line($"{Kernels}.ParameterSetKernel.Apply(set, in update);");
        writer.Close();
    }

    /// <summary>Members of the nested State&lt;T&gt; that tie it to a parameter set.</summary>
    public static void WriteStateMembers(SourceWriter writer, OptimizerModel model)
    {
        var buffers = model.States.Where(s => !s.IsScalar).Select(s => "_" + char.ToLowerInvariant(s.Name[0]) + s.Name.Substring(1)).ToList();
        writer.Line();
        writer.Line("/// <summary>The parameter set this state was created for by <c>CreateState(set)</c>; null for a state created for a length.</summary>");
        writer.Line($"public {SetType}<T>? ParameterSet {{ get; internal init; }}");
        writer.Line();
        writer.Line("// The per-element buffers in the operator's slot order, for the parameter-set driver (made on first use).");
        writer.Line("private global::System.Memory<T>[]? _parameterSetBuffers;");
        writer.Line(buffers.Count == 0
            ? "internal global::System.Memory<T>[] ParameterSetBuffers => _parameterSetBuffers ??= global::System.Array.Empty<global::System.Memory<T>>();"
            : $"internal global::System.Memory<T>[] ParameterSetBuffers => _parameterSetBuffers ??= new[] {{ {string.Join(", ", buffers)} }};");
    }

    /// <summary>CreateState(set) and Step(set, state, t) of a stateful optimizer, sharing the span step's operator.</summary>
    public static void WriteStateful(SourceWriter writer, OptimizerSpec spec, KernelPlan plan, string operatorName)
    {
        var model = spec.Model;
        if (!HasSetStep(model))
        {
            return;
        }
        var observedParameter = ScheduleEmitter.Parameter(model.Schedule);
        var observedArgument = ScheduleEmitter.Argument(model.Schedule);
        writer.Line("/// <summary>");
        writer.Line("/// Creates this optimizer's state for every tensor of <paramref name=\"set\"/>, every state at its initial value: one buffer per");
        writer.Line("/// per-element state of <c>set.Length</c> elements, tensor i at <c>set.OffsetOf(i)</c>. Freezes the set. Save and load it");
        writer.Line("/// with SaveState and LoadState like any state.");
        writer.Line("/// </summary>");
        writer.Line("/// <exception cref=\"global::System.ArgumentNullException\"><paramref name=\"set\"/> is null.</exception>");
        writer.Open($"public State<T> CreateState<T>({SetType}<T> set) {Constraint}");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(set);");
        writer.Line("set.Freeze();");
        writer.Line("return new(set.Length) { ParameterSet = set };");
        writer.Close();
        writer.Line();

        foreach (var type in new[] { "double", "float" })
        {
            writer.Line("/// <summary>One step on every tensor of a parameter set: the scalar states, then one fused pass per tensor over w, g and its range of the states; on up to <see cref=\"global::DslOptim.Parallelism.MaxThreads\"/> threads, bitwise the same on any number.</summary>");
            writer.Line("/// <param name=\"set\">The weight tensors, updated in place, and their gradients.</param>");
            writer.Line($"/// <param name=\"state\">The state from <see cref=\"CreateState{{T}}({SetType}{{T}})\"/> for this set, updated in place.</param>");
            ScheduleEmitter.WriteParameterDoc(writer, model.Schedule);
            writer.Line("/// <param name=\"t\">The step index, 1 for the first step.</param>");
            writer.Line("/// <exception cref=\"global::System.ArgumentException\">The state was not created for this set (nothing is written).</exception>");
            writer.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"t\"/> is less than 1.</exception>");
            writer.Line($"public void Step({SetType}<{type}> set, State<{type}> state, {observedParameter}long t) => StepCore(set, state, {observedArgument}t);");
            writer.Line();
        }

        writer.Open($"private void StepCore<T>({SetType}<T> set, State<T> state, {observedParameter}long t) {Constraint}");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(set);");
        writer.Line("global::System.ArgumentNullException.ThrowIfNull(state);");
        writer.Line($"{Kernels}.StepGuard.Check(0, 0, t, {OptimizerEmitter.ConstructedTest(model)}, {OptimizerEmitter.Quote(model.Name)});");
        writer.Line($"{Kernels}.ParameterSetKernel.CheckState(set, state.ParameterSet, state.Length);");
        writer.Line($"double eta = {ScheduleEmitter.Call(model.Schedule)};");
        foreach (var state in model.States.Where(s => s.IsScalar))
        {
            writer.Line($"double {StatefulEmitter.CurrentLocal(state.Name)} = {OptimizerEmitter.StepValue(state.Formula.Body, spec)}; // {state.ParameterName}_t = {MathRenderer.Render(state.Formula.Body)}");
        }
        var arguments = string.Join(", ", plan.Hoisted.Select(h => OptimizerEmitter.StepValue(h.Value, spec)));
        writer.Line($"var update = new {operatorName}<T>({arguments});");
        writer.Line($"{Kernels}.ParameterSetKernel.Apply(set, state.ParameterSetBuffers, in update);");
        foreach (var state in model.States.Where(s => s.IsScalar))
        {
            writer.Line($"state.{state.Name} = {StatefulEmitter.CurrentLocal(state.Name)};");
        }
        writer.Close();
        writer.Line();
    }
}
