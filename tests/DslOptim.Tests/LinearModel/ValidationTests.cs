using System;
using Xunit;
using Model = DslOptim.Kernels.LinearModel;

namespace DslOptim.Tests.LinearModel;

/// <summary>Shapes are checked, with messages that name the argument and both numbers, before anything is written.</summary>
[Collection(WorkersCollection.Name)]
public sealed class ValidationTests
{
    [Fact]
    public void ProblemExposesItsShapeAndKeepsTheArrays()
    {
        double[] x = LinearData.Uniform(15, 1), y = LinearData.Uniform(6, 2);
        var problem = new LinearProblem<double>(x, 3, 5, y, 2);
        Assert.Equal((3, 5, 2, 10), (problem.N, problem.D, problem.K, problem.WeightLength));
        Assert.True(problem.X == x.AsSpan()); // the same memory: nothing copied
        Assert.True(problem.Y == y.AsSpan());
    }

    [Theory]
    [InlineData(0, 5, 2, "n")]
    [InlineData(3, 0, 2, "d")]
    [InlineData(3, 5, 0, "k")]
    [InlineData(-1, 5, 2, "n")]
    public void ProblemRejectsNonPositiveDimensions(int n, int d, int k, string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LinearProblem<double>(new double[15], n, d, new double[6], k));
        Assert.Equal(name, error.ParamName);
        Assert.Contains(n == 0 || n == -1 ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0", error.Message);
    }

    [Fact]
    public void ProblemRejectsArraysOfTheWrongLength()
    {
        var x = Assert.Throws<ArgumentException>(() => new LinearProblem<double>(new double[14], 3, 5, new double[6], 2));
        Assert.Equal("x", x.ParamName);
        Assert.Contains("15", x.Message);
        Assert.Contains("14", x.Message);

        var y = Assert.Throws<ArgumentException>(() => new LinearProblem<float>(new float[15], 3, 5, new float[7], 2));
        Assert.Equal("y", y.ParamName);
        Assert.Contains("6", y.Message);
        Assert.Contains("7", y.Message);

        Assert.Throws<ArgumentNullException>(() => new LinearProblem<double>(null!, 3, 5, new double[6], 2));
        Assert.Throws<NotSupportedException>(() => new LinearProblem<Half>(new Half[1], 1, 1, new Half[1], 1));
    }

    [Fact]
    public void WorkspaceResolvesThreadsAndChecksFit()
    {
        var (problem, _) = LinearData.Problem<double>(10, 4, 2, seed: 1);
        Assert.Equal(Environment.ProcessorCount, new LinearWorkspace<double>(problem).Threads);
        var workspace = new LinearWorkspace<double>(problem, 3);
        Assert.Equal(3, workspace.Threads);
        Assert.Equal(8, workspace.Gradient.Length);
        Assert.True(workspace.Fits(LinearData.Problem<double>(99, 4, 2, seed: 2).Problem));
        Assert.False(workspace.Fits(LinearData.Problem<double>(10, 5, 2, seed: 2).Problem));
        Assert.False(workspace.Fits(LinearData.Problem<double>(10, 4, 3, seed: 2).Problem));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LinearWorkspace<double>(problem, -1));
        Assert.Equal("threads", error.ParamName);
    }

    [Fact]
    public void GradientRejectsWrongWeightsBeforeWritingAnything()
    {
        var (problem, w) = LinearData.Problem<double>(100, 7, 3, seed: 1);
        var workspace = new LinearWorkspace<double>(problem, 2);
        workspace.Gradient.Fill(42.0);
        var error = Assert.Throws<ArgumentException>(() => Model.Gradient(problem, w.AsSpan(1), workspace, default(SquaredLoss<double>)));
        Assert.Equal("w", error.ParamName);
        Assert.Contains("21", error.Message);
        Assert.Contains("20", error.Message);
        Assert.All(workspace.Gradient.ToArray(), v => Assert.Equal(42.0, v));
    }

    [Fact]
    public void GradientRejectsAWorkspaceOfAnotherShapeBeforeWritingAnything()
    {
        var (problem, w) = LinearData.Problem<float>(100, 7, 3, seed: 1);
        var (other, _) = LinearData.Problem<float>(100, 7, 2, seed: 1);
        var workspace = new LinearWorkspace<float>(other, 1);
        workspace.Gradient.Fill(42f);
        var error = Assert.Throws<ArgumentException>(() => Model.Gradient(problem, w, workspace, default(SquaredLoss<float>)));
        Assert.Equal("workspace", error.ParamName);
        Assert.Contains("k = 2", error.Message);
        Assert.Contains("k = 3", error.Message);
        Assert.All(workspace.Gradient.ToArray(), v => Assert.Equal(42f, v));
        Assert.Throws<ArgumentNullException>(() => Model.Gradient(null!, w, workspace, default(SquaredLoss<float>)));
    }

    [Fact]
    public void ProductsRejectWrongShapesBeforeWritingAnything()
    {
        double[] a = new double[12], b = new double[20];
        var c = new double[15];
        c.AsSpan().Fill(42.0);

        var wrongA = Assert.Throws<ArgumentException>(() => Model.Multiply<double>(a.AsSpan(1), 3, 4, b, 5, c));
        Assert.Equal("a", wrongA.ParamName);
        Assert.Contains("12", wrongA.Message);
        Assert.Contains("11", wrongA.Message);
        var wrongB = Assert.Throws<ArgumentException>(() => Model.Multiply<double>(a, 3, 4, b.AsSpan(0, 19), 5, c));
        Assert.Equal("b", wrongB.ParamName);
        var wrongC = Assert.Throws<ArgumentException>(() => Model.Multiply<double>(a, 3, 4, b, 5, c.AsSpan(0, 14)));
        Assert.Equal("c", wrongC.ParamName);
        Assert.Contains("15", wrongC.Message);
        Assert.Equal("cols", Assert.Throws<ArgumentOutOfRangeException>(() => Model.Multiply<double>(a, 3, 4, b, 0, c)).ParamName);
        Assert.Equal("threads", Assert.Throws<ArgumentOutOfRangeException>(() => Model.Multiply<double>(a, 3, 4, b, 5, c, -1)).ParamName);

        // Aᵀ·B: A 3×4, B 3×5, C 4×5.
        double[] bt = new double[15];
        var ct = new double[20];
        ct.AsSpan().Fill(42.0);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Model.MultiplyTransposed<double>(a, 3, 4, bt.AsSpan(1), 5, ct)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Model.MultiplyTransposed<double>(a, 3, 4, bt, 5, ct.AsSpan(1))).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => Model.MultiplyTransposed<double>(a, 0, 4, bt, 5, ct)).ParamName);

        // A result that overlaps an input.
        var shared = new double[40];
        Assert.Throws<ArgumentException>(() => Model.Multiply<double>(shared.AsSpan(0, 12), 3, 4, b, 5, shared.AsSpan(10, 15)));
        Assert.Throws<ArgumentException>(() => Model.MultiplyTransposed<double>(a, 3, 4, shared.AsSpan(0, 15), 5, shared.AsSpan(14, 20)));

        Assert.All(c, v => Assert.Equal(42.0, v));
        Assert.All(ct, v => Assert.Equal(42.0, v));
        Assert.All(shared, v => Assert.Equal(0.0, v));
    }
}
