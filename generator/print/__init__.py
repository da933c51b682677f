"""Print: one PDF (pdf.py, templates/) and one Word file (word.py) per bulletin issue and per notice, offered as downloads;
with the site's url also a 公众号 article (wechat.py, templates/wechat/) and QR codes of the page (qr.py)."""
