using System;
using System.Collections.Generic;
using System.Text;

namespace DslOptim;

/// <summary>One derived formula of an optimizer, as readable text.</summary>
/// <param name="Name">What the formula is, e.g. <c>h′(s)</c> or <c>∇K(G)</c>.</param>
/// <param name="Text">The formula in a math-like notation, using the declaration's names.</param>
public sealed record DerivedFormula(string Name, string Text)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} = {Text}";
}

/// <summary>
/// What the generator derived for an optimizer: the declaration's formulas and their derivatives as
/// text, and the shape of the emitted kernel. Read it from the generated static <c>Info</c> property.
/// </summary>
public sealed class OptimizerInfo
{
    /// <summary>Creates the description; called by generated code.</summary>
    public OptimizerInfo(string name, string kernel, IReadOnlyList<DerivedFormula> formulas)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));
        Formulas = formulas ?? throw new ArgumentNullException(nameof(formulas));
    }

    /// <summary>The optimizer type's name.</summary>
    public string Name { get; }

    /// <summary>The kernel's shape: passes over memory and state.</summary>
    public string Kernel { get; }

    /// <summary>The declared and derived formulas, in declaration order.</summary>
    public IReadOnlyList<DerivedFormula> Formulas { get; }

    /// <summary>A multi-line listing: the name, the kernel shape, then one formula per line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Name).Append(": ").AppendLine(Kernel);
        foreach (var formula in Formulas)
        {
            text.Append("  ").AppendLine(formula.ToString());
        }
        return text.ToString();
    }
}
