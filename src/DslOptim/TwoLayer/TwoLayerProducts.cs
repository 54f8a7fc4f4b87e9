using System;
using System.Numerics;
using DslOptim.Kernels;

namespace DslOptim;

/// <summary>
/// The products of the updated weights in closed form, from the small matrices alone. With E = −η∇ℓ (n×m) as the pass
/// applies it, W1' = W1 + E W2 and W2' = W2 + Eᵀ W1 (eq. 7 with eq. 8), and P = W1W2ᵀ, A = W1W1ᵀ, B = W2W2ᵀ:
/// <code>
/// W1'W2'ᵀ = (W1 + E W2)(W2ᵀ + W1ᵀE) = P + A E + E B + E Pᵀ E
/// W1'W1'ᵀ = (W1 + E W2)(W1ᵀ + W2ᵀEᵀ) = A + P Eᵀ + E Pᵀ + E B Eᵀ
/// W2'W2'ᵀ = (W2 + Eᵀ W1)(W2ᵀ + W1ᵀE) = B + Pᵀ E + Eᵀ P + Eᵀ A E
/// </code>
/// (with E = −η G the first is eq. 47's W(η)). Seven small products, O(n·m·(n + m)), on the calling thread, in a fixed
/// order; the Gram matrices are formed from their upper triangles and mirrored, so they stay exactly symmetric.
/// </summary>
internal static unsafe class TwoLayerProducts
{
    /// <summary>Replaces the workspace's P, A and B by those of the weights after the step with <see cref="TwoLayerWorkspace{T}.StepMatrix"/>.</summary>
    public static void Update<T>(TwoLayerWorkspace<T> ws)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = ws.Inputs, m = ws.Outputs;
        int nm = n * m;
        T[] stepMatrix = ws.StepMatrix;
        fixed (double* scratch = ws.ClosedForm)
        fixed (double* p = ws.Product)
        fixed (double* a = ws.Gram1)
        fixed (double* b = ws.Gram2)
        {
            double* e = scratch;          // E (n×m), as applied (T widened)
            double* et = e + nm;          // Eᵀ (m×n)
            double* ae = et + nm;         // A E (n×m)
            double* eb = ae + nm;         // E B (n×m)
            double* es = eb + nm;         // E (Pᵀ E) (n×m)
            double* s = es + nm;          // Pᵀ E (m×m)
            double* eae = s + (m * m);    // Eᵀ A E (m×m)
            double* q = eae + (m * m);    // P Eᵀ (n×n)
            double* ebe = q + (n * n);    // E B Eᵀ (n×n)
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < m; j++)
                {
                    double v = double.CreateTruncating(stepMatrix[(i * m) + j]);
                    e[(i * m) + j] = v;
                    et[(j * n) + i] = v;
                }
            }

            Gemm.Block(a, n, 1, e, m, ae, m, 0, n, 0, m, n);       // A E
            Gemm.Block(e, m, 1, b, m, eb, m, 0, n, 0, m, m);       // E B
            Gemm.Block(p, 1, m, e, m, s, m, 0, m, 0, m, n);        // Pᵀ E
            Gemm.Block(e, m, 1, s, m, es, m, 0, n, 0, m, m);       // E Pᵀ E
            Gemm.Block(p, m, 1, et, n, q, n, 0, n, 0, n, m);       // P Eᵀ
            Gemm.Block(eb, m, 1, et, n, ebe, n, 0, n, 0, n, m);    // E B Eᵀ
            Gemm.Block(e, 1, m, ae, m, eae, m, 0, m, 0, m, n);     // Eᵀ A E

            for (int i = 0; i < nm; i++)
            {
                p[i] += (ae[i] + eb[i]) + es[i];
            }

            for (int i = 0; i < n; i++)
            {
                for (int k = i; k < n; k++)
                {
                    double v = a[(i * n) + k] + (q[(i * n) + k] + q[(k * n) + i]) + ebe[(i * n) + k];
                    a[(i * n) + k] = v;
                    a[(k * n) + i] = v;
                }
            }

            for (int i = 0; i < m; i++)
            {
                for (int k = i; k < m; k++)
                {
                    double v = b[(i * m) + k] + (s[(i * m) + k] + s[(k * m) + i]) + eae[(i * m) + k];
                    b[(i * m) + k] = v;
                    b[(k * m) + i] = v;
                }
            }
        }
    }
}
