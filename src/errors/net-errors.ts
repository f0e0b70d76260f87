/**
 * Hardened edges (issue 17): a provincial node's URL the hub will not call, and images or files too large for the
 * verifier to read (docs/federation.md#node-urls, docs/code-format.md#images) — part of the one registry (registry.ts). Pure data.
 */
export const NET_ERRORS = {
  YMT_ERR_NODE_URL_REFUSED: {
    status: 400,
    message: '节点地址不被接受：须为 https，不得指向本机、链路本地或云元数据地址',
    messageEn:
      'The node URL is refused: https only; no loopback, link-local or metadata address, credentials or fragment',
  },
  YMT_ERR_IMAGE_TOO_LARGE: {
    status: 413,
    message: '图片尺寸过大，不予识别（最多 4096×4096 像素，每边最多 16384 像素）',
    messageEn: 'The image declares more pixels than a QR image needs (at most 4096 × 4096, 16 384 a side)',
  },
  YMT_ERR_FILE_TOO_LARGE: {
    status: 413,
    message: '文件过大，无法识别',
    messageEn: 'The file is too large to read',
  },
} as const;
