using System;
using System.Collections.Generic;
using System.Linq;
using DslOptim.Tests.Infrastructure;
using Xunit;

namespace DslOptim.Tests.FullStep;

/// <summary>
/// The generated full step Step(problem, w, workspace, t) against the composed reference: an explicit residual,
/// an explicit Xᵀ product (triple loops written here), then the generic Step(w, g, t) of the same optimizer.
/// </summary>
public class FullStepTests
{
    public static IEnumerable<object[]> Shapes()
    {
        foreach (var (n, d, k) in new[] { (1, 1, 1), (1, 3, 1), (2, 1, 3), (3, 5, 1), (7, 13, 3), (5, 17, 16), (17, 33, 1), (33, 70, 3), (9, 31, 16), (70, 130, 1) })
        {
            yield return new object[] { n, d, k };
        }
    }

    private delegate LinearStepResult FullStep<T>(LinearProblem<T> problem, Span<T> w, LinearWorkspace<T> workspace, long t) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    private delegate void GenericStep<T>(Span<T> w, ReadOnlySpan<T> g, long t);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Full_step_equals_the_composed_reference_in_double(int n, int d, int k)
    {
        var normalized = new LinearNormalizedGd();
        var clipped = new LinearClippedGd { Eps = 0.05 };
        var adam = new LinearAdamWithoutMomentum();
        var soft = new LinearSoftSign();
        Check<double>(n, d, k, normalized.Step, normalized.Step, r => LinearNormalizedGd.SquaredPrime(r), r => 0.5 * r * r, 1e-12);
        Check<double>(n, d, k, clipped.Step, clipped.Step, r => LinearClippedGd.SquaredPrime(r), r => 0.5 * r * r, 1e-12);
        Check<double>(n, d, k, adam.Step, adam.Step, r => LinearAdamWithoutMomentum.SquaredPrime(r), r => 0.5 * r * r, 1e-12);
        Check<double>(n, d, k, soft.Step, soft.Step, r => soft.PseudoHuberPrime(r), r => soft.PseudoHuber(r), 1e-12);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Full_step_equals_the_composed_reference_in_float(int n, int d, int k)
    {
        var normalized = new LinearNormalizedGd();
        var adam = new LinearAdamWithoutMomentum();
        var soft = new LinearSoftSign();
        Check<float>(n, d, k, normalized.Step, normalized.Step, r => LinearNormalizedGd.SquaredPrime(r), r => 0.5 * r * r, 1e-5);
        Check<float>(n, d, k, adam.Step, adam.Step, r => LinearAdamWithoutMomentum.SquaredPrime(r), r => 0.5 * r * r, 1e-5);
        Check<float>(n, d, k, soft.Step, soft.Step, r => soft.PseudoHuberPrime(r), r => soft.PseudoHuber(r), 1e-5);
    }

    [Fact]
    public void Full_step_is_bitwise_identical_on_one_and_two_threads()
    {
        var (x, y, w0) = Data<double>(300, 257, 3, seed: 11);
        var problem = new LinearProblem<double>(x, 300, 257, y, 3);
        foreach (var run in new Func<double[], LinearWorkspace<double>, LinearStepResult>[]
                 {
                     (w, ws) => new LinearNormalizedGd().Step(problem, w, ws, 1),
                     (w, ws) => new LinearAdamWithoutMomentum().Step(problem, w, ws, 1),
                 })
        {
            var one = (double[])w0.Clone();
            var two = (double[])w0.Clone();
            var r1 = run(one, new LinearWorkspace<double>(problem, threads: 1));
            var r2 = run(two, new LinearWorkspace<double>(problem, threads: 2));

            Assert.Equal(BitConverter.DoubleToInt64Bits(r1.Loss), BitConverter.DoubleToInt64Bits(r2.Loss));
            Assert.Equal(BitConverter.DoubleToInt64Bits(r1.GradientNorm), BitConverter.DoubleToInt64Bits(r2.GradientNorm));
            Assert.Equal(one.Select(BitConverter.DoubleToInt64Bits), two.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void Wrong_shapes_throw_before_anything_is_written()
    {
        var (x, y, w0) = Data<double>(4, 6, 2, seed: 3);
        var problem = new LinearProblem<double>(x, 4, 6, y, 2);
        var other = new LinearProblem<double>(new double[5 * 6], 5, 6, new double[5 * 2], 2);
        var w = (double[])w0.Clone();
        var optimizer = new LinearNormalizedGd();

        Assert.Throws<ArgumentException>(() => optimizer.Step(problem, w.AsSpan(0, 11), new LinearWorkspace<double>(problem), 1));
        Assert.Throws<ArgumentException>(() => optimizer.Step(problem, w, new LinearWorkspace<double>(new LinearProblem<double>(new double[4 * 7], 4, 7, new double[4 * 2], 2)), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Step(problem, w, new LinearWorkspace<double>(problem), 0));
        Assert.Throws<InvalidOperationException>(() => default(LinearNormalizedGd).Step(problem, w, new LinearWorkspace<double>(problem), 1));
        Assert.Equal(w0, w);
        Assert.NotNull(other);
    }

    [Fact]
    public void Full_step_allocates_nothing_on_one_thread()
    {
        var (x, y, w0) = Data<double>(64, 200, 3, seed: 5);
        var problem = new LinearProblem<double>(x, 64, 200, y, 3);
        var workspace = new LinearWorkspace<double>(problem, threads: 1);
        var optimizer = new LinearClippedGd();
        var w = (double[])w0.Clone();
        long allocated = Allocation.OverCollectionFreeWindow(i => optimizer.Step(problem, w, workspace, i + 1), calls: 1000, warmUp: 20);
        Assert.Equal(0, allocated);
    }

    private static void Check<T>(int n, int d, int k, FullStep<T> full, GenericStep<T> generic, Func<double, double> lossPrime, Func<double, double> loss, double tolerance)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var (x, y, w0) = Data<T>(n, d, k, seed: 1000 * n + 10 * d + k);
        var problem = new LinearProblem<T>(x, n, d, y, k);
        var workspace = new LinearWorkspace<T>(problem);

        var actual = (T[])w0.Clone();
        var result = full(problem, actual, workspace, 2);

        // The composed reference, in double: R = XW − Y, G = (1/n) Xᵀ ℓ′(R), then the generic step.
        var residual = new double[n * k];
        var expectedLoss = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < k; j++)
            {
                var sum = 0.0;
                for (var p = 0; p < d; p++)
                {
                    sum += double.CreateTruncating(x[i * d + p]) * double.CreateTruncating(w0[p * k + j]);
                }
                residual[i * k + j] = sum - double.CreateTruncating(y[i * k + j]);
                expectedLoss += loss(residual[i * k + j]);
            }
        }
        expectedLoss /= n;
        var gradient = new double[d * k];
        for (var p = 0; p < d; p++)
        {
            for (var j = 0; j < k; j++)
            {
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                {
                    sum += double.CreateTruncating(x[i * d + p]) * lossPrime(residual[i * k + j]);
                }
                gradient[p * k + j] = sum / n;
            }
        }
        var expected = (T[])w0.Clone();
        var g = gradient.Select(T.CreateTruncating).ToArray();
        generic(expected, g, 2);

        AssertClose(expectedLoss, result.Loss, tolerance, $"loss, shape ({n}, {d}, {k})");
        AssertClose(Math.Sqrt(gradient.Sum(v => v * v)), result.GradientNorm, tolerance, $"‖G‖, shape ({n}, {d}, {k})");
        for (var i = 0; i < expected.Length; i++)
        {
            AssertClose(double.CreateTruncating(expected[i]), double.CreateTruncating(actual[i]), tolerance, $"w[{i}], shape ({n}, {d}, {k})");
        }
    }

    private static void AssertClose(double expected, double actual, double relative, string what)
        => Assert.True(Tolerance.Close(actual, expected, relative), $"{what}: expected {expected:R}, actual {actual:R}");

    internal static (T[] X, T[] Y, T[] W0) Data<T>(int n, int d, int k, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        T Next(double scale) => T.CreateTruncating(scale * (2 * random.NextDouble() - 1));
        var x = Enumerable.Range(0, n * d).Select(_ => Next(1)).ToArray();
        var y = Enumerable.Range(0, n * k).Select(_ => Next(2)).ToArray();
        var w = Enumerable.Range(0, d * k).Select(_ => Next(0.5)).ToArray();
        return (x, y, w);
    }
}
