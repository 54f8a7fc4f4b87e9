using System;
using System.Linq;
using DslOptim.Kernels;
using Xunit;

namespace DslOptim.Tests.Zoo;

// Declarations whose update writes a reduction's value into every weight, so a test reads what the pass computed.

/// <summary>Σ 1 = n: exact for any length, so a padded lane that leaked into a sum would show.</summary>
[Optimizer]
public partial struct CountProbe
{
    public double Lr { get; init; } = 1.0;

    [Reduction(ReductionKind.Sum)] public double N() => 1;

    [Preconditioner] public double D(double g) => g;

    [Update] public double U(double w, double n) => n;

    [Schedule] public double LearningRate(long t) => Lr;
}

/// <summary>‖g‖ by a Norm reduction, and Σ t·η_t·(w + g) reading t, lr, w and g.</summary>
[Optimizer]
public partial struct NormProbe
{
    public double Lr { get; init; } = 0.5;

    [Reduction(ReductionKind.Norm)] public double Gn(double g) => g;

    [Reduction(ReductionKind.Sum)] public double Tg(double w, double g, double lr, long t) => t * lr * (w + g);

    [Preconditioner] public double D(double g) => g;

    [Update] public double U(double w, double gn, double tg) => w > 0 ? gn : tg;

    [Schedule] public double LearningRate(long t) => Lr;
}

/// <summary>The pass itself, through declarations whose update reads its values.</summary>
public sealed class ReductionPassTests
{
    [Fact]
    public void A_count_is_exact_for_every_length_and_offset()
    {
        for (var length = 0; length <= 300; length++)
        {
            foreach (var offset in new[] { 0, 1, 3, 7 })
            {
                var w = new double[length + offset].AsSpan(offset);
                var wf = new float[length + offset].AsSpan(offset);
                new CountProbe().Step(w, new double[length], 1);
                new CountProbe().Step(wf, new float[length], 1);
                foreach (var x in w)
                {
                    Assert.Equal(length, x);
                }
                foreach (var x in wf)
                {
                    Assert.Equal(length, x);
                }
            }
        }
        foreach (var length in new[] { 16383, 16384, 16385, 1_000_003 })
        {
            var w = new double[length];
            new CountProbe().Step(w, new double[length], 1);
            Assert.Equal(length, w[^1]);
        }
    }

    [Fact]
    public void A_norm_equals_the_isotropic_norm_and_a_sum_reads_t_lr_w_and_g()
    {
        foreach (var length in new[] { 1, 5, 33, 16385, 100_003 })
        {
            var random = new Random(length);
            var g = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
            var w0 = Enumerable.Range(0, length).Select(i => i == 0 ? 1.0 : -random.NextDouble()).ToArray();
            var w = (double[])w0.Clone();
            new NormProbe().Step(w, g, 3);

            // The norm is the same deterministic sum of squares as the isotropic step's, up to the lane layout (8 vs 32 lanes).
            Assert.Equal(Reduction.FrobeniusNorm<double>(g), w[0], 1e-14 * Reduction.FrobeniusNorm<double>(g));
            var expected = 0.0;
            var compensation = 0.0;
            for (var i = 0; i < length; i++)
            {
                var term = 3 * 0.5 * (w0[i] + g[i]);
                var sum = expected + term;
                compensation += Math.Abs(expected) >= Math.Abs(term) ? (expected - sum) + term : (term - sum) + expected;
                expected = sum;
            }
            expected += compensation;
            for (var i = 1; i < length; i++)
            {
                Assert.Equal(expected, w[i], 1e-12 * Math.Max(1, Math.Abs(expected)));
            }
        }
    }
}
