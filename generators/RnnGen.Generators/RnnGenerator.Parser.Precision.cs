using System.Globalization;
using System.Linq;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;

namespace RnnGen.Generators;

public sealed partial class RnnGenerator
{
    private sealed partial class ModelParser
    {
        /// <summary>
        /// [Sequential]'s WeightPrecision (an enum, read as its int value): a value the enum does not name
        /// (<c>(WeightPrecision)7</c>) is RNNG025 on the argument; BFloat16 on a model without a recurrent layer, whose
        /// storage it would not change, is the RNNG026 warning. Returns Float32 for anything reported.
        /// </summary>
        private WeightPrecision ParseWeightPrecision(AttributeInput? sequential, System.Collections.Generic.IReadOnlyList<LayerSpec> specs)
        {
            ArgumentInput? argument = sequential?.Find("WeightPrecision");
            if (argument is null || argument.HasError || argument.Value is not int value)
            {
                return WeightPrecision.Float32;
            }

            if (!System.Enum.IsDefined(typeof(WeightPrecision), value))
            {
                Report(DiagnosticDescriptors.UnknownWeightPrecision, argument.Location, _input.DisplayName, value.ToString(CultureInfo.InvariantCulture),
                    string.Join(", ", System.Enum.GetNames(typeof(WeightPrecision)).Select(n => "WeightPrecision." + n)));
                return WeightPrecision.Float32;
            }

            var precision = (WeightPrecision)value;
            if (precision != WeightPrecision.Float32 && !specs.Any(s => s.IsRecurrent))
            {
                Report(DiagnosticDescriptors.WeightPrecisionWithoutRecurrentLayer, argument.Location, _input.DisplayName, "WeightPrecision." + precision);
                return WeightPrecision.Float32;
            }

            return precision;
        }
    }
}
