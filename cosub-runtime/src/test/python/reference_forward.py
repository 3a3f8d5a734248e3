"""An independent PyTorch forward of ViT (plain and DeiT III) and ConvNeXt, written from the
papers' definitions with torch.nn.functional, reading a cosub safetensors export by timm's
parameter names. ReferenceForwardTest runs it to check the Java network's logits.

    reference_forward.py EXPORT_FOLDER INPUTS OUTPUT

EXPORT_FOLDER holds model.safetensors and model.json (cosub export --format safetensors);
INPUTS is raw little-endian float32 images (B, C, H, W), already normalised, whose shape is
B and model.json's channels, height and width; OUTPUT receives the logits (B, classes) the
same way. Computed in float64, so that the reference is the more exact side.

Needs only Debian's python3-torch (any 1.x or 2.x) and its numpy.
"""
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

EPS = 1e-6  # LayerNorm epsilon of all three families


def read_safetensors(path):
    """The tensors of a safetensors file by name: an 8-byte header length, a JSON header of
    dtype, shape and byte offsets, then the data."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    dtypes = {"F32": np.float32, "F64": np.float64, "F16": np.float16}
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        array = np.frombuffer(body[start:end], dtype=dtypes[entry["dtype"]])
        tensors[name] = torch.from_numpy(array.reshape(entry["shape"]).astype(np.float64))
    return tensors


def layer_norm(x, w, prefix):
    return F.layer_norm(x, x.shape[-1:], w[prefix + ".weight"], w[prefix + ".bias"], EPS)


def linear(x, w, prefix):
    return F.linear(x, w[prefix + ".weight"], w[prefix + ".bias"])


def mlp(x, w, prefix):
    # Two layers with the exact (erf) GELU between them.
    return linear(F.gelu(linear(x, w, prefix + ".fc1")), w, prefix + ".fc2")


def self_attention(x, w, prefix, heads):
    """Scaled dot-product attention of every token to every token, per head; q, k and v come
    from one projection whose output is laid out as (q | k | v), each split into heads."""
    batch, tokens, dim = x.shape
    head_dim = dim // heads
    qkv = linear(x, w, prefix + ".qkv").reshape(batch, tokens, 3, heads, head_dim)
    q, k, v = qkv.permute(2, 0, 3, 1, 4)
    weights = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(head_dim), dim=-1)
    mixed = (weights @ v).transpose(1, 2).reshape(batch, tokens, dim)
    return linear(mixed, w, prefix + ".proj")


def vit(w, args, x):
    """ViT (Dosovitskiy et al. 2021): patches projected to tokens, a class token, learned
    positions, pre-norm blocks (x + Attn(LN(x)), x + MLP(LN(x))), a final LN and a linear head
    on the class token. DeiT III (Touvron et al. 2022): positions on the patch tokens only and
    a learned per-channel scale (LayerScale) at the end of each branch."""
    patch = args["patch_size"]
    tokens = F.conv2d(x, w["patch_embed.proj.weight"], w["patch_embed.proj.bias"], stride=patch)
    tokens = tokens.flatten(2).transpose(1, 2)
    cls = w["cls_token"].expand(x.shape[0], -1, -1)
    if args.get("no_embed_class", False):
        tokens = torch.cat([cls, tokens + w["pos_embed"]], dim=1)
    else:
        tokens = torch.cat([cls, tokens], dim=1) + w["pos_embed"]
    for i in range(args["depth"]):
        block = "blocks.%d." % i
        branch = self_attention(layer_norm(tokens, w, block + "norm1"), w, block + "attn",
                                args["num_heads"])
        if block + "ls1.gamma" in w:
            branch = branch * w[block + "ls1.gamma"]
        tokens = tokens + branch
        branch = mlp(layer_norm(tokens, w, block + "norm2"), w, block + "mlp")
        if block + "ls2.gamma" in w:
            branch = branch * w[block + "ls2.gamma"]
        tokens = tokens + branch
    tokens = layer_norm(tokens, w, "norm")
    return linear(tokens[:, 0], w, "head")


def channel_norm(x, w, prefix):
    """LayerNorm over the channels of each position of (B, C, H, W)."""
    return layer_norm(x.permute(0, 2, 3, 1), w, prefix).permute(0, 3, 1, 2)


def convnext(w, args, x):
    """ConvNeXt (Liu et al. 2022): a patchify stem (conv k = s = patch, LN), four stages whose
    later ones start with LN and a 2x2 stride-2 conv, blocks x + gamma * MLP(LN(dwconv7x7(x)))
    with the MLP 4x wide, and a head of global average pooling, LN and a linear layer."""
    patch = args["patch_size"]
    x = F.conv2d(x, w["stem.0.weight"], w["stem.0.bias"], stride=patch)
    x = channel_norm(x, w, "stem.1")
    for stage, depth in enumerate(args["depths"]):
        prefix = "stages.%d." % stage
        if stage > 0:
            x = channel_norm(x, w, prefix + "downsample.0")
            x = F.conv2d(x, w[prefix + "downsample.1.weight"], w[prefix + "downsample.1.bias"],
                         stride=2)
        for i in range(depth):
            block = prefix + "blocks.%d." % i
            y = F.conv2d(x, w[block + "conv_dw.weight"], w[block + "conv_dw.bias"], padding=3,
                         groups=x.shape[1])
            y = y.permute(0, 2, 3, 1)
            y = mlp(layer_norm(y, w, block + "norm"), w, block + "mlp") * w[block + "gamma"]
            x = x + y.permute(0, 3, 1, 2)
    pooled = x.mean(dim=(2, 3))
    return linear(layer_norm(pooled, w, "head.norm"), w, "head.fc")


FORWARDS = {"vit_tiny_patch16_224": vit, "deit3_small_patch16_224": vit, "convnext_tiny": convnext}


def main(folder, inputs, output):
    with open(folder + "/model.json") as f:
        description = json.load(f)
    if description["names"] != "timm":
        sys.exit("%s has no timm names: %s" % (folder, description.get("timmUnmapped")))
    weights = read_safetensors(folder + "/model.safetensors")
    shape = (description["channels"], description["height"], description["width"])
    pixels = np.fromfile(inputs, dtype="<f4").astype(np.float64)
    x = torch.from_numpy(pixels.reshape((-1,) + shape))
    with torch.no_grad():
        logits = FORWARDS[description["timmModel"]](weights, description["timmArguments"], x)
    logits.numpy().astype("<f4").tofile(output)


if __name__ == "__main__":
    main(*sys.argv[1:4])
