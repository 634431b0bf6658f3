using System.IO;

namespace RnnGen.Formats.Tests
{
    /// <summary>
    /// The weight-file members every generated model has but <see cref="IRnnModel"/> does not declare. The generated
    /// classes below implement it with the members the generator emits, so the compiler checks their signatures.
    /// </summary>
    public interface ILoadableModel : IRnnModel
    {
        void LoadWeights(string path);

        void LoadWeights(Stream stream, WeightFormat format);

        void SaveWeights(string path);
    }
}

namespace Pasted.Dl4jBidirectionalLstmH5
{
    public partial class TfkerasRnn5BidirectionalLstm : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Dl4jLstmModelH5
{
    public partial class SimpleFlattenLstmTfKeras2Model : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Dl4jLstmWeightsH5
{
    public partial class SimpleFlattenLstmTfKeras2Weights : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Dl4jSimpleRnnModelH5
{
    public partial class SimpleRnnTfKeras2Model : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Dl4jSimpleRnnWeightsH5
{
    public partial class SimpleRnnTfKeras2Weights : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.FrugallyDeepStatefulH5
{
    public partial class TempStateful : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.FrugallyDeepStatelessH5
{
    public partial class TempStateless : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras2DeepModelH5
{
    public partial class Keras2DeepModel : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras2SimpleModelH5
{
    public partial class Keras2SimpleModel : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras2StackModelH5
{
    public partial class Keras2StackModel : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras2StackSplitAttributesH5
{
    public partial class Keras2StackSplitAttributes : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras2StackWeightsH5
{
    public partial class Keras2StackWeights : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3DeepWeightsH5
{
    public partial class Keras3Deep : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3SimpleWeightsH5
{
    public partial class Keras3Simple : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3StackCompressedNpz
{
    public partial class Keras3StackCompressed : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3StackDeflatedKeras
{
    public partial class Keras3StackDeflated : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3StackKeras
{
    public partial class Keras3Stack : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3StackNpz
{
    public partial class Keras3Stack : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3StackPre310WeightsH5
{
    public partial class Keras3StackPre310 : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3StackWeightsH5
{
    public partial class Keras3Stack : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3TimedistributedKeras
{
    public partial class Keras3Timedistributed : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3TimedistributedWeightsH5
{
    public partial class Keras3Timedistributed : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.TfKeras213StackWeightsH5
{
    public partial class Tfkeras213Stack : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Declarations
{
    public partial class TfKeras213Stack : RnnGen.Formats.Tests.ILoadableModel;

    public partial class LayerNormalizationWithoutCenter : RnnGen.Formats.Tests.ILoadableModel;

    public partial class BatchNormalizationWithDefaultEpsilon : RnnGen.Formats.Tests.ILoadableModel;

    public partial class NormalizationDeclaredInverted : RnnGen.Formats.Tests.ILoadableModel;

    public partial class TextModelWithoutMask : RnnGen.Formats.Tests.ILoadableModel;

    public partial class NormalizationNotInverted : RnnGen.Formats.Tests.ILoadableModel;

    public partial class NormalizationBeforeAWiderLstm : RnnGen.Formats.Tests.ILoadableModel;

    public partial class SimpleRnnGoingBackwards : RnnGen.Formats.Tests.ILoadableModel;

    public partial class DenseActivationWithALinearDense : RnnGen.Formats.Tests.ILoadableModel;

    public partial class SimpleRnnOf49Units : RnnGen.Formats.Tests.ILoadableModel;

    public partial class LstmOf40Units : RnnGen.Formats.Tests.ILoadableModel;

    public partial class BidirectionalLstmWithKeras3HardSigmoid : RnnGen.Formats.Tests.ILoadableModel;

    public partial class GruResettingBefore : RnnGen.Formats.Tests.ILoadableModel;

    public partial class StatefulGruGoingBackwards : RnnGen.Formats.Tests.ILoadableModel;

    public partial class SimpleRnnGoingForwards : RnnGen.Formats.Tests.ILoadableModel;

    public partial class SimpleRnnOf4Units : RnnGen.Formats.Tests.ILoadableModel;

    public partial class DeepWithAHardSigmoidLstm : RnnGen.Formats.Tests.ILoadableModel;

    public partial class DeepWithAWiderGru : RnnGen.Formats.Tests.ILoadableModel;

    public partial class TimeDistributedOf5Units : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras2DenseActivationModelH5
{
    public partial class Keras2DenseActivationModel : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras2StackChunkedModelH5
{
    public partial class Keras2StackChunkedModel : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3StackChunkedWeightsH5
{
    public partial class Keras3StackChunked : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3LayernormKeras
{
    public partial class Keras3Layernorm : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras2LayernormModelH5
{
    public partial class Keras2LayernormModel : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3TextModelKeras
{
    public partial class Keras3TextModel : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras2TextModelH5
{
    public partial class Keras2TextModel : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3NormalizationKeras
{
    public partial class Keras3Normalization : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras2NormalizationModelH5
{
    public partial class Keras2NormalizationModel : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3NormalizationWeightsH5
{
    public partial class Keras3Normalization : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3NormalizationInvertKeras
{
    public partial class Keras3NormalizationInvert : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras3BatchnormKeras
{
    public partial class Keras3Batchnorm : RnnGen.Formats.Tests.ILoadableModel;
}

namespace Pasted.Keras2BatchnormModelH5
{
    public partial class Keras2BatchnormModel : RnnGen.Formats.Tests.ILoadableModel;
}
