namespace DslOptim.Generators.Model;

/// <summary>What a <c>[Schedule]</c> parameter binds to.</summary>
internal enum ScheduleInput
{
    /// <summary>The step index t (a <c>long</c>).</summary>
    Step,

    /// <summary>L(w_{t−1}), <c>ObservedQuantities.Loss</c> (parameter <c>double loss</c>).</summary>
    Loss,

    /// <summary>‖∇L(w_{t−1})‖, <c>ObservedQuantities.GradientNorm</c> (parameter <c>double gradientNorm</c>).</summary>
    GradientNorm,

    /// <summary>‖w_{t−1}‖, <c>ObservedQuantities.WeightNorm</c> (parameter <c>double weightNorm</c>).</summary>
    WeightNorm,

    /// <summary>All three, as the <c>ObservedQuantities</c> value itself.</summary>
    Observed,
}

/// <summary>One parameter of the <c>[Schedule]</c> member, in declaration order.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Input">What it binds to.</param>
/// <param name="TypeText">Its type as the header shows it: <c>long</c>, <c>double</c>, <c>in ObservedQuantities</c>.</param>
internal sealed record ScheduleParameter(string Name, ScheduleInput Input, string TypeText);
