using System.Collections.Generic;
using System.Linq;
using DslOptim.Generators.Model;
using DslOptim.Generators.Symbolic;

namespace DslOptim.Generators.Emit;

/// <summary>
/// The declared reductions (<c>[Reduction]</c>, DESIGN.md) of an optimizer: ONE pass over w and g before the update,
/// through the runtime's deterministic <c>ReductionPass</c> (16384-element chunks, double accumulation, combined in
/// chunk order), whose values the step then reads as per-step scalars. Everything here is written only when the
/// declaration has reductions; the step emitters call it through one-line hooks.
/// </summary>
internal static class ReductionEmitter
{
    private const string Kernels = OptimizerEmitter.Kernels;
    private const string Constraint = OptimizerEmitter.Constraint;
    private const string TermsName = "ReductionTerms";
    private static readonly string[] Outputs = { "r0", "r1", "r2", "r3" };

    /// <summary>The local of StepCore/Update holding a reduction's value: the name formulas bind it by.</summary>
    public static string Local(string reduction) => char.ToLowerInvariant(reduction[0]) + reduction.Substring(1);

    /// <summary>The reductions as formulas for the header and Info, e.g. <c>z = Σ_i w·exp(−η_t·g)</c>.</summary>
    public static IEnumerable<(string Name, string Text)> Formulas(OptimizerSpec spec)
    {
        foreach (var reduction in spec.Model.Reductions)
        {
            var term = MathRenderer.Render(reduction.Formula.Body);
            yield return (reduction.ParameterName, reduction.Form == ReductionForm.Norm ? $"√(Σ_i ({term})²)" : $"Σ_i {term}");
        }
    }

    /// <summary>The kernel's shape with the reduction pass in front, when there is one.</summary>
    public static string Shape(OptimizerSpec spec, string shape)
    {
        var reductions = spec.Model.Reductions;
        if (reductions.Count == 0)
        {
            return shape;
        }
        var names = string.Join(", ", reductions.Select(r => r.ParameterName));
        return $"first one reduction pass over w and g for {names} (deterministic 16384-element chunks in double, combined in order, on up to Parallelism.MaxThreads threads), then {shape}";
    }

    /// <summary>The stateless Step's summary when the update reads reductions.</summary>
    public static string? StepSummary(OptimizerSpec spec)
        => spec.Model.Reductions.Count == 0
            ? null
            : $"One step: the reductions ({string.Join(", ", spec.Model.Reductions.Select(r => r.ParameterName))}) in one pass over w and g, then w ← {MathRenderer.Render(spec.Update)} in one fused pass.";

    /// <summary>In StepCore/Update, after η_t: the pass, then one local per reduction.</summary>
    public static void WriteStepPrologue(SourceWriter writer, OptimizerSpec spec)
    {
        var reductions = spec.Model.Reductions;
        if (reductions.Count == 0)
        {
            return;
        }
        var plan = Plan(spec);
        var arguments = string.Join(", ", plan.Hoisted.Select(h => OptimizerEmitter.StepValue(h.Value, spec)));
        writer.Line("// The reductions: one pass over w and g in fixed chunks combined in order, so the values do not depend on threading.");
        writer.Line($"global::System.Span<double> reductions = stackalloc double[{reductions.Count}];");
        writer.Line($"{Kernels}.ReductionPass.Sums<T, {TermsName}<double>>(w, g, new {TermsName}<double>({arguments}), reductions);");
        var formulas = Formulas(spec).ToList();
        for (var i = 0; i < reductions.Count; i++)
        {
            var value = reductions[i].Form == ReductionForm.Norm ? $"global::System.Math.Sqrt(reductions[{i}])" : $"reductions[{i}]";
            writer.Line($"double {Local(reductions[i].Name)} = {value}; // {formulas[i].Name} = {formulas[i].Text}");
        }
    }

    /// <summary>After the update's operator: the terms operator the pass runs (evaluated in double).</summary>
    public static void WriteTerms(SourceWriter writer, OptimizerSpec spec)
    {
        var reductions = spec.Model.Reductions;
        if (reductions.Count == 0)
        {
            return;
        }
        var plan = Plan(spec);
        var terms = Terms(spec);
        writer.Line();
        writer.Line("/// <summary>");
        writer.Line("/// The reductions' terms, per element (summed by the runtime's ReductionPass; a norm's term is squared):");
        foreach (var (name, text) in Formulas(spec))
        {
            writer.Line($"/// {OptimizerEmitter.Xml(name)} = {OptimizerEmitter.Xml(text)}");
        }
        writer.Line("/// </summary>");
        writer.Open($"private readonly struct {TermsName}<T> : {Kernels}.IReductionTerms<T> {Constraint}");
        foreach (var hoisted in plan.Hoisted)
        {
            writer.Line($"private readonly T {hoisted.Field}; // {MathRenderer.Render(hoisted.Value)}");
        }
        if (plan.Hoisted.Count > 0)
        {
            writer.Line();
        }
        writer.Open($"public {TermsName}({string.Join(", ", plan.Hoisted.Select(h => "double " + h.Parameter))})");
        foreach (var hoisted in plan.Hoisted)
        {
            writer.Line($"{hoisted.Field} = T.CreateTruncating({hoisted.Parameter});");
        }
        writer.Close();
        writer.Line();
        writer.Line($"public static int Count => {reductions.Count};");

        string Name(Symbol symbol) => symbol.Kind == SymbolRole.Weight ? "w" : "g";

        var types = new[] { "T" }.Concat(OptimizerEmitter.Widths.Select(w => $"global::System.Runtime.Intrinsics.{w}<T>")).ToArray();
        for (var i = 0; i < types.Length; i++)
        {
            var type = types[i];
            writer.Line();
            writer.Line(OptimizerEmitter.Inline);
            writer.Open($"public void Invoke({type} w, {type} g, {string.Join(", ", Outputs.Select(o => $"out {type} {o}"))})");
            var names = new Dictionary<Expr, string>();
            var dialect = OptimizerEmitter.OverloadDialect(writer, plan, i == 0 ? null : OptimizerEmitter.Widths[i - 1], Name, names);
            foreach (var shared in plan.SharedForAll(terms))
            {
                writer.Line($"var {shared.Local} = {dialect.Render(shared.Value)}; // {MathRenderer.Render(shared.Value)}");
                names[shared.Value] = shared.Local;
            }
            for (var k = 0; k < Outputs.Length; k++)
            {
                writer.Line(k < terms.Count
                    ? $"{Outputs[k]} = {dialect.Render(terms[k])}; // {reductions[k].ParameterName}"
                    : $"{Outputs[k]} = {(i == 0 ? "T.Zero" : "default")};");
            }
            writer.Close();
        }
        writer.Close();
    }

    /// <summary>Each reduction's per-element term: f for a sum, f·f for a norm (the pass sums, the step takes the root).</summary>
    private static List<Expr> Terms(OptimizerSpec spec)
        => spec.Model.Reductions
            .Select(r => r.Form == ReductionForm.Norm ? new Binary(BinaryOperator.Multiply, r.Formula.Body, r.Formula.Body) : r.Formula.Body)
            .ToList();

    private static KernelPlan Plan(OptimizerSpec spec)
        => new(Terms(spec), new[] { "w", "g", "T" }.Concat(Outputs));
}
