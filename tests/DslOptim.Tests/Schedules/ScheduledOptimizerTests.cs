using DslOptim.Tests.Infrastructure;
using Xunit;
using Sched = DslOptim.Schedules;

namespace DslOptim.Tests.Schedules;

/// <summary>Gradient descent whose [Schedule] returns a runtime schedule, as a consumer writes it.</summary>
[Optimizer]
public partial struct WarmCosineGd
{
    private static readonly LearningRateSchedule Lr = Sched.Cosine(0.1, totalSteps: 100, floor: 0.01, warmupSteps: 10);

    public double Scale { get; init; } = 1.0;

    [Preconditioner] public double Direction(double g) => g;

    [Schedule] public double LearningRate(long t) => Scale * Lr.At(t);
}

/// <summary>The generated Step applies η_t = At(t) of a runtime schedule.</summary>
public sealed class ScheduledOptimizerTests
{
    [Fact]
    public void GeneratedStepUsesTheSchedule()
    {
        var schedule = Sched.Cosine(0.1, totalSteps: 100, floor: 0.01, warmupSteps: 10);
        var optimizer = new WarmCosineGd { Scale = 2.0 };
        double[] w = new double[3];
        double[] g = [1.0, 1.0, 1.0];
        double expected = 0;
        for (long t = 1; t <= 150; t++)
        {
            optimizer.Step(w, g, t);
            expected -= 2.0 * schedule.At(t);
            Assert.True(Tolerance.Close(w[0], expected, 1e-13), $"t = {t}: {w[0]:R} against {expected:R}");
            Assert.Equal(w[0], w[2]);
        }
    }
}
