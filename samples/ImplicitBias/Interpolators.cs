using System;
using Google.OrTools.LinearSolver;
using DslOptim.LinearAlgebra;

namespace ImplicitBias;

/// <summary>
/// The interpolators of (11): min ‖W − W0‖_p subject to XW = Y, for p = 2 (closed form, the implicit bias of
/// isotropic potentials and of plain GD, Theorem 2 / eq. (5)) and for p = 1 and p = ∞ (linear programs solved
/// with Google OR-Tools' GLOP simplex). With u = W − W0 and r = Y − XW0 the constraint is Xu = r.
/// </summary>
public static class Interpolators
{
    /// <summary>
    /// W_p2 = W0 + Xᵀ(XXᵀ)⁻¹(Y − XW0): the minimum-Frobenius-distance interpolator, solved with a Cholesky
    /// factorization of XXᵀ (positive definite when X has full row rank, Assumption 1.8).
    /// </summary>
    public static double[] MinimumL2(PlantedProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var (n, d) = (problem.N, problem.D);
        var gram = new double[n * n];
        Gram.OuterProduct(problem.X, n, d, gram);
        var lambda = Dense.CholeskySolve(gram, n, Rhs(problem));
        var w = new double[d];
        Dense.MultiplyTransposed(problem.X, n, d, lambda, w);
        for (var j = 0; j < d; j++)
        {
            w[j] += problem.W0[j];
        }
        return w;
    }

    /// <summary>
    /// W_p1 = W0 + u with u = u⁺ − u⁻ solving min Σ (u⁺_j + u⁻_j) s.t. X(u⁺ − u⁻) = r, u⁺, u⁻ ≥ 0
    /// (the basis-pursuit LP; its vertex solutions have at most n non-zero entries).
    /// </summary>
    public static double[] MinimumL1(PlantedProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var (n, d) = (problem.N, problem.D);
        using var solver = CreateGlop();
        var plus = solver.MakeNumVarArray(d, 0.0, double.PositiveInfinity, "up");
        var minus = solver.MakeNumVarArray(d, 0.0, double.PositiveInfinity, "um");
        var r = Rhs(problem);
        for (var i = 0; i < n; i++)
        {
            var row = solver.MakeConstraint(r[i], r[i], $"x{i}");
            for (var j = 0; j < d; j++)
            {
                var value = problem.X[i * d + j];
                row.SetCoefficient(plus[j], value);
                row.SetCoefficient(minus[j], -value);
            }
        }
        var objective = solver.Objective();
        for (var j = 0; j < d; j++)
        {
            objective.SetCoefficient(plus[j], 1.0);
            objective.SetCoefficient(minus[j], 1.0);
        }
        objective.SetMinimization();
        Solve(solver, "p = 1");

        var w = new double[d];
        for (var j = 0; j < d; j++)
        {
            w[j] = problem.W0[j] + plus[j].SolutionValue() - minus[j].SolutionValue();
        }
        return w;
    }

    /// <summary>
    /// W_p∞ = W0 + u with (u, τ) solving min τ s.t. −τ ≤ u_j ≤ τ for every j, Xu = r.
    /// </summary>
    public static double[] MinimumLInf(PlantedProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var (n, d) = (problem.N, problem.D);
        using var solver = CreateGlop();
        var u = solver.MakeNumVarArray(d, double.NegativeInfinity, double.PositiveInfinity, "u");
        var tau = solver.MakeNumVar(0.0, double.PositiveInfinity, "tau");
        var r = Rhs(problem);
        for (var i = 0; i < n; i++)
        {
            var row = solver.MakeConstraint(r[i], r[i], $"x{i}");
            for (var j = 0; j < d; j++)
            {
                row.SetCoefficient(u[j], problem.X[i * d + j]);
            }
        }
        for (var j = 0; j < d; j++)
        {
            var upper = solver.MakeConstraint(double.NegativeInfinity, 0.0, $"hi{j}");
            upper.SetCoefficient(u[j], 1.0);
            upper.SetCoefficient(tau, -1.0);
            var lower = solver.MakeConstraint(0.0, double.PositiveInfinity, $"lo{j}");
            lower.SetCoefficient(u[j], 1.0);
            lower.SetCoefficient(tau, 1.0);
        }
        var objective = solver.Objective();
        objective.SetCoefficient(tau, 1.0);
        objective.SetMinimization();
        Solve(solver, "p = ∞");

        var w = new double[d];
        for (var j = 0; j < d; j++)
        {
            w[j] = problem.W0[j] + u[j].SolutionValue();
        }
        return w;
    }

    // r = Y − X W0.
    private static double[] Rhs(PlantedProblem problem)
    {
        var r = new double[problem.N];
        Dense.Multiply(problem.X, problem.N, problem.D, problem.W0, r);
        for (var i = 0; i < r.Length; i++)
        {
            r[i] = problem.Y[i] - r[i];
        }
        return r;
    }

    private static Solver CreateGlop()
        => Solver.CreateSolver("GLOP")
           ?? throw new InvalidOperationException("OR-Tools could not create the GLOP linear solver.");

    private static void Solve(Solver solver, string which)
    {
        var status = solver.Solve();
        if (status != Solver.ResultStatus.OPTIMAL)
        {
            throw new InvalidOperationException($"GLOP did not solve the {which} interpolation LP: status {status}.");
        }
    }
}
