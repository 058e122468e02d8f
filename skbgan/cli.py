"""Command line: ``python -m skbgan`` or ``skbgan``."""

import argparse
import sys


def _parser():
    parser = argparse.ArgumentParser(
        prog="skbgan",
        description="Learn categorical data with a boundary-seeking GAN and generate more.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo", help="train on scikit-learn's digits, save a PNG of new digits, print fidelity"
    )
    demo.add_argument("-o", "--output", default="digits.png", help="PNG to write (digits.png)")
    demo.add_argument("--epochs", type=int, default=300, help="training epochs (300)")
    demo.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (auto)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (0)")
    return parser


def main(argv=None):
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            from ._demo import run_demo

            run_demo(args.output, epochs=args.epochs, device=args.device, random_state=args.seed)
    except (ValueError, TypeError, ImportError, OSError) as error:
        print(f"skbgan {args.command}: error: {error}", file=sys.stderr)
        return 1
    return 0
