#!/bin/sh
# Makes the sample library's PDF attachments (content/van-ban/*/*.pdf) from small HTML
# files with headless Chromium: real PDFs with Vietnamese text, invented for the sample
# site (they are not the real documents). Run from the repository root; the PDFs are
# committed, so this is only needed to change them.
#   sh bench/sample-pdfs.sh
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pdf() { # folder file number type issuer title
	cat >"$tmp/doc.html" <<HTML
<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>$3</title>
<style>body{font-family:serif;margin:2cm;line-height:1.5}h1{font-size:16pt;text-align:center}p.c{text-align:center}</style></head>
<body><p class="c"><strong>$5</strong></p><p class="c">Số: $3</p>
<h1>$4</h1><p class="c"><em>$6</em></p>
<p>VĂN BẢN MẪU – nội dung do portal tự viết để trình diễn thư viện văn bản, không phải văn bản thật.
Khi dùng thật, thay tệp này bằng bản chính thức do cơ quan ban hành cung cấp.</p>
<p>Điều 1. Phạm vi điều chỉnh: văn bản mẫu này minh hoạ cách cổng thông tin đăng tải số ký hiệu,
ngày ban hành, cơ quan ban hành, trích yếu và tệp đính kèm của một văn bản.</p>
<p>Điều 2. Tổ chức thực hiện: các cơ quan, đơn vị liên quan chịu trách nhiệm thi hành văn bản mẫu này.</p>
</body></html>
HTML
	chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="content/van-ban/$1/$2" "$tmp/doc.html" 2>/dev/null
}
pdf 64-2007-nd-cp nd-64-2007-nd-cp.pdf "64/2007/NĐ-CP" "NGHỊ ĐỊNH" "CHÍNH PHỦ" "Về ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước (bản mẫu)"
pdf 42-2022-nd-cp nd-42-2022-nd-cp.pdf "42/2022/NĐ-CP" "NGHỊ ĐỊNH" "CHÍNH PHỦ" "Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến trên môi trường mạng (bản mẫu)"
pdf 16-nq-tu nq-16-nq-tu.pdf "16/NQ-TU" "NGHỊ QUYẾT" "TỈNH ỦY" "Về chuyển đổi số của tỉnh (bản mẫu)"
pdf 2599-qd-ubnd qd-2599-qd-ubnd.pdf "2599/QĐ-UBND" "QUYẾT ĐỊNH" "ỦY BAN NHÂN DÂN TỈNH" "Ban hành kế hoạch ứng dụng công nghệ thông tin (bản mẫu)"
