using System.Linq;
using DslOptim.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DslOptim.Generators.Tests;

/// <summary>[Schedule] members that read observed quantities of the previous step: the emitted API and DSLOPT009 on bad parameters.</summary>
public class ObservedScheduleTests
{
    /// <summary>Polyak's step size on the full linear step, and a stateful optimizer whose schedule reads the whole ObservedQuantities.</summary>
    public const string Polyak = Samples.Usings + """
        namespace Samples;

        [Optimizer]
        public partial struct PolyakGd
        {
            public double MinLoss { get; init; } = 0.0;
            public double Scale { get; init; } = 1.0;

            [Preconditioner] public double Direction(double g) => g;
            [Loss] public static double Squared(double r) => 0.5 * r * r;

            // η_t = c·(L(w_{t−1}) − L*)/‖∇L(w_{t−1})‖², Polyak's step size
            [Schedule] public double Polyak(double loss, double gradientNorm)
                => gradientNorm > 0 ? Scale * (loss - MinLoss) / (gradientNorm * gradientNorm) : 0.0;
        }
        """;

    private static string Optimizer(string schedule) => Samples.Usings + $$"""
        namespace Cases;

        [Optimizer]
        public partial struct Case
        {
            public double Lr { get; init; } = 0.1;
            [Preconditioner] public double D(double g) => g;
            {{schedule}}
        }
        """;

    [Fact]
    public void Polyak_matches_snapshot()
    {
        var run = GeneratorHarness.Run(Polyak);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Errors);
        var (file, text) = Assert.Single(run.Generated.Select(p => (p.Key, p.Value)));
        Snapshot.Match("Polyak." + file, text);
    }

    [Theory]
    [InlineData("[Schedule] public double Eta(long t, in ObservedQuantities q) => Lr * q.GradientNorm;", "Eta(t, observed)")]
    [InlineData("[Schedule] public double Eta(ObservedQuantities q, long t) => Lr;", "Eta(observed, t)")]
    [InlineData("[Schedule] public static double Eta(double weightNorm, long step, double loss) => 0.1 / (1 + weightNorm);", "Eta(observed.WeightNorm, t, observed.Loss)")]
    public void Observing_schedules_compile_and_are_called_with_the_observations(string schedule, string call)
    {
        var run = GeneratorHarness.Run(Optimizer(schedule));

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Errors);
        var text = Assert.Single(run.Generated.Values);
        Assert.Contains($"double eta = {call};", text);
        Assert.Contains("public void Step(global::System.Span<double> w, global::System.ReadOnlySpan<double> g, in global::DslOptim.ObservedQuantities observed, long t)", text);
        Assert.Contains("public void Step(global::DslOptim.ParameterSet<float> set, in global::DslOptim.ObservedQuantities observed, long t)", text);
        Assert.DoesNotContain("global::System.ReadOnlySpan<double> g, long t)", text);
    }

    [Fact]
    public void Isotropic_full_linear_step_passes_its_loss_gradient_norm_and_weight_norm()
    {
        var source = Samples.Usings + """
            namespace Cases;

            [Optimizer]
            public partial struct Clip
            {
                public double Eps { get; init; } = 1.0;
                [Potential(PotentialKind.Isotropic)]
                public double H(double s) => s <= Eps ? 0.5 * s * s : Eps * s - 0.5 * Eps * Eps;
                [Loss] public static double Squared(double r) => 0.5 * r * r;
                [Schedule] public double Eta(long t, in ObservedQuantities q) => 0.1 / (1 + q.WeightNorm);
            }
            """;
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Errors);
        var text = Assert.Single(run.Generated.Values);
        Assert.Contains("var observed = new global::DslOptim.ObservedQuantities(value, s, global::DslOptim.Kernels.Reduction.FrobeniusNorm<T>(w));", text);
        Assert.Contains("Update(w, workspace.Gradient, in observed, t, s);", text);
        Assert.Contains("public global::DslOptim.LinearStepResult Step(global::DslOptim.LinearProblem<double> problem, global::System.Span<double> w, global::DslOptim.LinearWorkspace<double> workspace, long t)", text);
    }

    [Theory]
    [InlineData("[Schedule] public double Eta(long t, double lr) => lr;", "lr", "binds to nothing")]
    [InlineData("[Schedule] public double Eta(long t, string loss) => 0.1;", "loss", "not string")]
    [InlineData("[Schedule] public double Eta(long t, ref double loss) => loss;", "loss", "plain value parameter")]
    [InlineData("[Schedule] public double Eta(long t, long step) => 0.1;", "step", "the step t a second time")]
    [InlineData("[Schedule] public double Eta(double loss, in ObservedQuantities q, ObservedQuantities again) => 0.1;", "again", "a second time")]
    [InlineData("[Schedule] public double Eta(long t, Missing q) => 0.1;", "q", "must be long")]
    [InlineData("[Schedule] public double Eta() => 0.1;", "Eta", "must have the signature")]
    public void Bad_schedule_parameters_are_reported_on_their_span(string schedule, string span, string message)
    {
        var source = Optimizer(schedule);
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Exceptions);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("DSLOPT009", diagnostic.Id);
        var declared = source.IndexOf(schedule, System.StringComparison.Ordinal);
        var expected = schedule == "[Schedule] public double Eta() => 0.1;"
            ? declared + schedule.IndexOf("Eta", System.StringComparison.Ordinal)
            : declared + schedule.IndexOf(" " + span + ")", System.StringComparison.Ordinal) + 1;
        Assert.Equal(expected, diagnostic.Location.SourceSpan.Start);
        Assert.Equal(span.Length, diagnostic.Location.SourceSpan.Length);
        Assert.Contains(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void Every_prefix_of_an_observing_schedule_leaves_the_generator_standing()
    {
        var source = Optimizer("[Schedule] public double Eta(long t, in ObservedQuantities q, double loss) => Lr * q.GradientNorm / loss;");
        var start = source.IndexOf("[Schedule]", System.StringComparison.Ordinal);
        for (var cut = start; cut < source.Length; cut += 3)
        {
            var run = GeneratorHarness.Run(source.Substring(0, cut));
            Assert.Empty(run.Exceptions);
        }
    }
}
