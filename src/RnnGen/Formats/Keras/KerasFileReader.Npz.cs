using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using RnnGen.Formats.Hdf5;
using RnnGen.Formats.Npz;
using RnnGen.Formats.Zip;

namespace RnnGen.Formats.Keras;

internal static partial class KerasFileReader
{
    // ---- .npz (numpy.savez(path, *model.get_weights())) ----

    private static KerasFileContents ReadNpz(ZipContainer zip, string source, (long Bytes, string Text) limit)
    {
        List<NpyArray> arrays = NpzArchive.Read(zip, limit.Bytes, limit.Text);
        var weights = arrays.Select(a => new FileWeight(a.Name, a.Shape, _ => a.ReadFloats())).ToList();
        List<FileLayer> layers = InferLayers(weights);
        var info = new KerasFileInfo(source, WeightFormat.Npz, "NumPy .npz (numpy.savez of model.get_weights())", layers.Select(l => l.Description).ToArray())
        {
            InputDim = FirstKernelRows(layers),
            Notes = new[] { "An .npz holds bare arrays: the layers above are inferred from their shapes, and arrays are matched to a declaration in get_weights() order." },
        };
        return new KerasFileContents(info, layers, new KerasDialect(null, 3)) { FlatArrays = weights };
    }

    private static List<FileLayer> InferLayers(List<FileWeight> weights)
    {
        // Greedy: at each position take the longest run of arrays that forms one layer whose input width follows from
        // the previous layer (bidirectional with or without bias, recurrent, Dense).
        var layers = new List<FileLayer>();
        int? width = null;
        int i = 0;
        while (i < weights.Count)
        {
            FileLayer? chosen = null;
            foreach (int take in new[] { 6, 4, 3, 2, 1 })
            {
                // Every layer RnnGen knows starts with a 2-D kernel; other arrays are described alone, without trying runs.
                if (i + take > weights.Count || weights[i].Dimensions.Length != 2)
                {
                    continue;
                }

                List<FileWeight> run = weights.GetRange(i, take);
                string name = take == 1 ? run[0].Name : $"{run[0].Name}..{run[^1].Name}";
                KerasFileLayer description = ShapeInference.Describe(name, null, run);
                if (description.Kind is null || description.Kind == LayerKind.Dropout || (take is 4 or 6 && !description.Bidirectional))
                {
                    continue;
                }

                int rows = run[0].Dimensions[0];
                if (width is int w && rows != w && !(rows * 2 == w))
                {
                    continue;
                }

                chosen = new FileLayer(description, run);
                width = description.Bidirectional ? 2 * description.Units : description.Units;
                i += take;
                break;
            }

            if (chosen is null)
            {
                layers.Add(new FileLayer(ShapeInference.Describe(weights[i].Name, null, new[] { weights[i] }), new List<FileWeight> { weights[i] }));
                i++;
                width = null;
                continue;
            }

            layers.Add(chosen);
        }

        return layers;
    }
}
