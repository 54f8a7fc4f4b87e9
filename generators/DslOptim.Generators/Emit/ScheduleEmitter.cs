using System.Linq;
using DslOptim.Generators.Model;

namespace DslOptim.Generators.Emit;

/// <summary>
/// How the generated code calls the <c>[Schedule]</c> member. A schedule of <c>t</c> alone is called as
/// <c>F(t)</c>. A schedule that reads observed quantities of the previous step (loss, gradientNorm, weightNorm or
/// the whole <c>ObservedQuantities</c>) makes every Step overload that the caller calls take an
/// <c>in ObservedQuantities observed</c> before <c>t</c> — there is no overload without it, so a caller cannot forget
/// them — except the full linear-model step, which computes L(W) and ‖∇L(W)‖ itself (and ‖W‖ when the schedule
/// reads it) and passes them.
/// </summary>
internal static class ScheduleEmitter
{
    public const string ObservedType = "global::DslOptim.ObservedQuantities";

    /// <summary>Whether the schedule reads anything besides t.</summary>
    public static bool Observes(ScheduleModel schedule) => schedule.Parameters.Any(p => p.Input != ScheduleInput.Step);

    /// <summary>Whether it reads ‖w_{t−1}‖ (the full linear step computes it only then).</summary>
    public static bool ReadsWeightNorm(ScheduleModel schedule)
        => schedule.Parameters.Any(p => p.Input is ScheduleInput.WeightNorm or ScheduleInput.Observed);

    /// <summary>The parameter to insert before <c>long t</c> in a Step signature: empty, or <c>in ObservedQuantities observed, </c>.</summary>
    public static string Parameter(ScheduleModel schedule) => Observes(schedule) ? $"in {ObservedType} observed, " : string.Empty;

    /// <summary>The argument to insert before <c>t</c> when forwarding: empty, or <c>in observed, </c>.</summary>
    public static string Argument(ScheduleModel schedule) => Observes(schedule) ? "in observed, " : string.Empty;

    /// <summary>η_t: the call of the schedule member, its arguments bound by name.</summary>
    public static string Call(ScheduleModel schedule)
    {
        if (schedule.Parameters.Count == 0)
        {
            return schedule.Name + "(t)";
        }
        var arguments = schedule.Parameters.Select(p => p.Input switch
        {
            ScheduleInput.Step => "t",
            ScheduleInput.Loss => "observed.Loss",
            ScheduleInput.GradientNorm => "observed.GradientNorm",
            ScheduleInput.WeightNorm => "observed.WeightNorm",
            _ => "observed",
        });
        return $"{schedule.Name}({string.Join(", ", arguments)})";
    }

    /// <summary>The parameter list as the header shows it.</summary>
    public static string ParameterText(ScheduleModel schedule)
        => schedule.Parameters.Count == 0 ? "long t" : string.Join(", ", schedule.Parameters.Select(p => p.TypeText + " " + p.Name));

    /// <summary>The XML doc line of the observed parameter, or null.</summary>
    public static string? ParameterDoc(ScheduleModel schedule)
        => Observes(schedule)
            ? "/// <param name=\"observed\">What was observed at the weights this step starts from (loss, ‖g‖, ‖w‖; NaN where unknown), passed to the schedule.</param>"
            : null;

    /// <summary>Writes the observed parameter's doc line when there is one.</summary>
    public static void WriteParameterDoc(SourceWriter writer, ScheduleModel schedule)
    {
        if (ParameterDoc(schedule) is { } line)
        {
            writer.Line(line);
        }
    }
}
