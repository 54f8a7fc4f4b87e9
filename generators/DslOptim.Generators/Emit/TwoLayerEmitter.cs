using System.Collections.Generic;
using System.Linq;
using DslOptim.Generators.Model;
using DslOptim.Generators.Symbolic;

namespace DslOptim.Generators.Emit;

/// <summary>
/// The full step on a two-layer linear network, L(W1, W2) = Σ ℓ((X W1 W2ᵀ − Y)_ij) (local-PL paper, Problem 2,
/// eq. 22 for squared ℓ), for optimizers that declare a <c>[Loss]</c> and whose update is plain gradient descent
/// (∇K(G) = G): the paper's GD (eq. 7) with its local-PL certificate, η_t from the schedule or from a step-size rule.
/// </summary>
internal static class TwoLayerEmitter
{
    private const string Runtime = "global::DslOptim";

    /// <summary>Writes the two-layer Step, Certify and the loss's curvature member when they apply.</summary>
    public static void Write(SourceWriter writer, OptimizerSpec spec, RuntimeFeatures features)
    {
        if (!features.HasTwoLayer || spec.Loss is null || !IsPlainGradientDescent(spec))
        {
            return;
        }

        var model = spec.Model;
        var loss = spec.Loss.Formula;
        // A schedule that observes the previous step (ObservedQuantities) takes them from the caller, as the span step does.
        var observedParameter = ScheduleEmitter.Parameter(model.Schedule);
        var observedArgument = ScheduleEmitter.Argument(model.Schedule);
        var noObservation = ScheduleEmitter.Observes(model.Schedule) ? "default, " : string.Empty;
        writer.Line();
        foreach (var type in new[] { "double", "float" })
        {
            writer.Line("/// <summary>");
            writer.Line($"/// One GD step (eq. 7 of the local-PL paper) on the two-layer linear network L(W1, W2) = Σ_ij ℓ((X W1 W2ᵀ − Y)_ij),");
            writer.Line($"/// ℓ = <see cref=\"{loss.Name}\"/>, η_t = {model.Schedule.Name}(t): G = Xᵀ ℓ′(XW − Y), ∇W1 = G W2, ∇W2 = Gᵀ W1 (eq. 8),");
            writer.Line("/// one read-modify-write pass over W1 and W2 that also forms W1W2ᵀ, W1W1ᵀ, W2W2ᵀ of the new weights for the next step.");
            writer.Line("/// </summary>");
            WriteParameters(writer);
            ScheduleEmitter.WriteParameterDoc(writer, model.Schedule);
            writer.Line("/// <returns>The local-PL certificate (Theorem 3.1) at the weights the step started from, with η_t.</returns>");
            writer.Line($"public {Runtime}.TwoLayerCertificate Step({Runtime}.TwoLayerProblem<{type}> problem, global::System.Span<{type}> w1, global::System.Span<{type}> w2, {Runtime}.TwoLayerWorkspace<{type}> workspace, {observedParameter}long t)");
            writer.Line($"    => TwoLayerStepCore(problem, w1, w2, workspace, null, {observedArgument}t);");
            writer.Line();
            writer.Line("/// <summary>As the step above, with η_t chosen from the step's certificate by <paramref name=\"stepSize\"/> (eq. 19, constant η0, backtracking).</summary>");
            WriteParameters(writer);
            writer.Line("/// <param name=\"stepSize\">The step-size rule.</param>");
            writer.Line("/// <returns>The certificate at the weights the step started from, with the chosen η_t.</returns>");
            writer.Line($"public {Runtime}.TwoLayerCertificate Step({Runtime}.TwoLayerProblem<{type}> problem, global::System.Span<{type}> w1, global::System.Span<{type}> w2, {Runtime}.TwoLayerWorkspace<{type}> workspace, long t, {Runtime}.TwoLayerStepSize stepSize)");
            writer.Line($"    => TwoLayerStepCore(problem, w1, w2, workspace, stepSize ?? throw new global::System.ArgumentNullException(nameof(stepSize)), {noObservation}t);");
            writer.Line();
            writer.Line($"/// <summary>The local-PL certificate at the current weights (L, ‖∇L‖, σ(𝒯), σ_max(W)) without moving them.</summary>");
            writer.Line($"public {Runtime}.TwoLayerCertificate Certify({Runtime}.TwoLayerProblem<{type}> problem, global::System.ReadOnlySpan<{type}> w1, global::System.ReadOnlySpan<{type}> w2, {Runtime}.TwoLayerWorkspace<{type}> workspace)");
            writer.Line($"    => {Runtime}.TwoLayerModel.Certify(problem, w1, w2, workspace, new {loss.Name}Operator<{type}>({LossArguments(spec)}), {loss.Name}Curvature);");
            writer.Line();
        }

        writer.Open($"private {Runtime}.TwoLayerCertificate TwoLayerStepCore<T>({Runtime}.TwoLayerProblem<T> problem, global::System.Span<T> w1, global::System.Span<T> w2, {Runtime}.TwoLayerWorkspace<T> workspace, {Runtime}.TwoLayerStepSize? stepSize, {observedParameter}long t) {OptimizerEmitter.Constraint}");
        writer.Line($"{OptimizerEmitter.Kernels}.StepGuard.Check(1, 1, t, {OptimizerEmitter.ConstructedTest(model)}, {OptimizerEmitter.Quote(model.Name)});");
        writer.Line($"var loss = new {loss.Name}Operator<T>({LossArguments(spec)});");
        writer.Line("return stepSize is null");
        writer.Line($"    ? {Runtime}.TwoLayerModel.Step(problem, w1, w2, workspace, in loss, {loss.Name}Curvature, {ScheduleEmitter.Call(model.Schedule)}, t)");
        writer.Line($"    : {Runtime}.TwoLayerModel.Step(problem, w1, w2, workspace, in loss, {loss.Name}Curvature, stepSize, t);");
        writer.Close();
        writer.Line();

        // The theory checker's inf ℓ″ and sup ℓ″ hold for the declared defaults of the hyperparameters the loss reads.
        var analysis = spec.Analysis;
        var read = HyperparametersOf(spec.Loss.Formula.Body).ToList();
        var defaults = model.Hyperparameters.Where(h => read.Contains(h.Name)).ToList();
        var known = $"new {Runtime}.LossCurvature({OptimizerEmitter.Quote(loss.Name)}, {Numbers.CSharpLiteral(analysis.LossStrongConvexity)}, {Numbers.CSharpLiteral(analysis.LossSmoothness)})";
        writer.Line($"// μ = inf ℓ″ and M = sup ℓ″ of ℓ(r) = {MathRenderer.Render(loss.Body)}, as the theory checker proved them (Info.Constants);");
        writer.Line("// they scale σ²(X) into the μ and K of ℓ(W) in the certificate (eq. 11, 12).");
        if (defaults.Count == 0 || defaults.Any(h => h.Default is null) || (double.IsNaN(analysis.LossStrongConvexity) && double.IsNaN(analysis.LossSmoothness)))
        {
            writer.Line($"private static {Runtime}.LossCurvature {loss.Name}Curvature => {known};");
        }
        else
        {
            writer.Line("// Proven for the declared defaults only: other values of the hyperparameters ℓ reads leave them unknown (NaN).");
            var test = string.Join(" && ", defaults.Select(h => $"{h.Name} == {Numbers.CSharpLiteral(h.Default!.Value)}"));
            writer.Line($"private {Runtime}.LossCurvature {loss.Name}Curvature => {test}");
            writer.Line($"    ? {known}");
            writer.Line($"    : new {Runtime}.LossCurvature({OptimizerEmitter.Quote(loss.Name)}, double.NaN, double.NaN);");
        }

        if (!features.HasLinearModel)
        {
            writer.Line();
            OptimizerEmitter.WriteLossOperator(writer, spec, spec.Loss);
        }
    }

    /// <summary>
    /// Whether the update is w ← w − η_t·g: a stateless elementwise potential with φ′(z) = z, a preconditioner that
    /// returns g, or an isotropic potential with h′(s)/s ≡ 1, without an [Update] override.
    /// </summary>
    internal static bool IsPlainGradientDescent(OptimizerSpec spec)
    {
        var model = spec.Model;
        if (model.IsStateful || model.Update is not null)
        {
            return false;
        }

        if (spec.IsIsotropic)
        {
            return spec.Update is Constant { Value: 1.0 };
        }

        var direction = model.Direction.Role == FormulaRole.Potential ? spec.Direction.First : Simplifier.Simplify(model.Direction.Body);
        return direction is Symbol { Kind: SymbolRole.Variable };
    }

    private static void WriteParameters(SourceWriter writer)
    {
        writer.Line("/// <param name=\"problem\">X (s×n) and Y (s×m), row-major.</param>");
        writer.Line("/// <param name=\"w1\">W1 (n×h, row-major), updated in place.</param>");
        writer.Line("/// <param name=\"w2\">W2 (m×h, row-major), updated in place.</param>");
        writer.Line("/// <param name=\"workspace\">Preallocated buffers for the problem and h; it carries W1W2ᵀ, W1W1ᵀ, W2W2ᵀ from step to step.</param>");
        writer.Line("/// <param name=\"t\">The step index, 1 for the first step (the paper's iterate t − 1).</param>");
        writer.Line("/// <exception cref=\"global::System.ArgumentException\">A shape does not match (nothing is written).</exception>");
        writer.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"t\"/> is less than 1, or η_t is negative or not finite.</exception>");
    }

    private static string LossArguments(OptimizerSpec spec)
    {
        var plan = new KernelPlan(new[] { spec.Loss!.Formula.Body, spec.Loss.First }, new[] { "r", "T" });
        return string.Join(", ", plan.Hoisted.Select(h => OptimizerEmitter.StepValue(h.Value, spec)));
    }

    private static IEnumerable<string> HyperparametersOf(Expr expr)
    {
        switch (expr)
        {
            case Symbol { Kind: SymbolRole.Hyperparameter } symbol:
                yield return symbol.Name;
                break;
            case Negate negate:
                foreach (var name in HyperparametersOf(negate.Operand))
                {
                    yield return name;
                }
                break;
            case Binary binary:
                foreach (var name in HyperparametersOf(binary.Left).Concat(HyperparametersOf(binary.Right)))
                {
                    yield return name;
                }
                break;
            case Call call:
                foreach (var name in call.Arguments.SelectMany(HyperparametersOf))
                {
                    yield return name;
                }
                break;
            case Conditional conditional:
                foreach (var name in HyperparametersOf(conditional.Test).Concat(HyperparametersOf(conditional.WhenTrue)).Concat(HyperparametersOf(conditional.WhenFalse)))
                {
                    yield return name;
                }
                break;
        }
    }

    private static IEnumerable<string> HyperparametersOf(Condition condition) => condition switch
    {
        Comparison comparison => HyperparametersOf(comparison.Left).Concat(HyperparametersOf(comparison.Right)),
        Logical logical => HyperparametersOf(logical.Left).Concat(HyperparametersOf(logical.Right)),
        Not not => HyperparametersOf(not.Operand),
        _ => Enumerable.Empty<string>(),
    };
}
