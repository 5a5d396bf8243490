#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian 12 machine with Node 20: Debian's chromium (browser tests,
# and its SwiftShader Vulkan driver for WebGPU), libvulkan1, wamerican (word-count bench data), python3-sklearn (k-means
# quality tests), tmux (the CLI's progress test runs it in a pseudo-terminal), redis-server (the BullMQ tests start their
# own server on a random port), then the npm packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
need=()
command -v chromium >/dev/null && [ -e /usr/lib/chromium/vk_swiftshader_icd.json ] || need+=(chromium)
ldconfig -p | grep -q libvulkan.so.1 || need+=(libvulkan1)
[ -e /usr/share/dict/american-english ] || need+=(wamerican)
/usr/bin/python3 -c 'import sklearn' 2>/dev/null || need+=(python3-sklearn)
command -v tmux >/dev/null || need+=(tmux)
command -v redis-server >/dev/null || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
npm ci --no-audit --no-fund
