using System;
using System.Linq;
using DslOptim.Tests.Infrastructure;
using DslOptim.Tests.ReferenceData;
using Xunit;

namespace DslOptim.Tests.Schedules;

/// <summary>
/// The committed torch.optim reference (reference/problem.json, reference/optimizers.csv) parses into
/// <see cref="TorchReference"/>, is complete, starts at w0, and its problem is rebuilt exactly. The optimizer parity
/// tests themselves live with the optimizers.
/// </summary>
public sealed class ReferenceProblemTests
{
    private static readonly string[] Expected =
    [
        "sgd", "sgd_momentum", "sgd_nesterov_wd", "adagrad", "rmsprop", "rmsprop_momentum", "rmsprop_centered",
        "adam", "adamw", "adam_amsgrad", "nadam", "adam_cosine_warmup",
    ];

    [Fact]
    public void ProblemAndTrajectoriesParse()
    {
        var reference = TorchReference.Load();
        var problem = reference.Problem;
        Assert.Equal((20, 10), (problem.N, problem.D));
        Assert.Equal(problem.N * problem.D, problem.A.Length);
        Assert.Equal(problem.N, problem.B.Length);
        Assert.Equal(problem.D, problem.W0.Length);
        Assert.StartsWith("1.13", reference.TorchVersion, StringComparison.Ordinal);
        Assert.Equal([.. Enumerable.Range(0, 21), .. Enumerable.Range(3, 18).Select(k => 10 * k)], reference.RecordedSteps);
        Assert.Equal(Expected.Order(StringComparer.Ordinal), reference.Optimizers.Keys.Order(StringComparer.Ordinal));

        foreach (var run in reference.Optimizers.Values)
        {
            Assert.Equal(reference.RecordedSteps, run.Steps);
            foreach (int step in reference.RecordedSteps)
            {
                var w = run.Weights(step);
                Assert.Equal(problem.D, w.Length);
                foreach (double x in w)
                {
                    Assert.True(double.IsFinite(x), $"{run.Name}, step {step}: {x}");
                }
            }
            Assert.Throws<ArgumentOutOfRangeException>(() => run.Weights(21));
            Assert.True(run.Number("lr") > 0, run.Name);
            Assert.True(run.FinalLoss < problem.InitialLoss, $"{run.Name} did not descend: {run.FinalLoss} ≥ {problem.InitialLoss}");
        }
    }

    [Fact]
    public void EveryTrajectoryStartsAtW0()
    {
        var reference = TorchReference.Load();
        foreach (var run in reference.Optimizers.Values)
        {
            Assert.True(run.Weights(0).SequenceEqual(reference.Problem.W0), run.Name);
        }
    }

    [Fact]
    public void HyperparametersReadAsTorchResolvedThem()
    {
        var runs = TorchReference.Load().Optimizers;
        Assert.Equal("torch.optim.SGD", runs["sgd_nesterov_wd"].TorchClass);
        Assert.True(runs["sgd_nesterov_wd"].Flag("nesterov"));
        Assert.Equal(0.9, runs["sgd_nesterov_wd"].Number("momentum"));
        Assert.Equal(0.01, runs["sgd_nesterov_wd"].Number("weight_decay"));
        Assert.True(runs["rmsprop_centered"].Flag("centered"));
        Assert.Equal(0.99, runs["rmsprop"].Number("alpha"));
        Assert.True(runs["adam_amsgrad"].Flag("amsgrad"));
        Assert.Equal((0.9, 0.999), runs["adam"].Betas);
        Assert.Equal(0.004, runs["nadam"].Number("momentum_decay"));
        Assert.Equal(1e-10, runs["adagrad"].Number("eps"));
        Assert.Null(runs["adam"].Scheduler);
        Assert.NotNull(runs["adam_cosine_warmup"].Scheduler);
    }

    /// <summary>
    /// The loader's Gradient and Loss reproduce the script's arithmetic: L(w0) bit for bit, and plain gradient descent
    /// w ← w − lr·g (the "sgd" configuration, which needs no optimizer state) follows torch's trajectory.
    /// </summary>
    [Fact]
    public void TheProblemIsRebuiltExactly()
    {
        var reference = TorchReference.Load();
        var problem = reference.Problem;
        Assert.Equal(problem.InitialLoss, problem.Loss(problem.W0));

        var sgd = reference.Optimizers["sgd"];
        double lr = sgd.Number("lr");
        double[] w = [.. problem.W0];
        var g = new double[problem.D];
        var report = new Tolerance.Report("plain GD on the reference problem against torch.optim.SGD");
        for (int t = 1; t <= 200; t++)
        {
            problem.Gradient(w, g);
            for (int j = 0; j < w.Length; j++)
            {
                w[j] += -lr * g[j];
            }
            if (reference.RecordedSteps.Contains(t))
            {
                var expected = sgd.Weights(t);
                for (int j = 0; j < w.Length; j++)
                {
                    report.Check(w[j], expected[j], 1e-13, $"step {t}, w[{j}]");
                }
            }
        }
        report.Assert();
        Assert.Equal(sgd.FinalLoss, problem.Loss(w), 1e-14);
    }
}
