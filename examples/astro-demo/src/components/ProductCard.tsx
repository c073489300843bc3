import type { Product } from '../data'
import PriceTag from './PriceTag'

type Props = { product: Product; index: number }

export default function ProductCard({ product, index }: Props) {
  return (
    <article className="product-card">
      <h3 className="product-name">{product.name}</h3>
      <PriceTag amount={product.price} currency="EUR" />
      <small className="product-index">#{index + 1}</small>
    </article>
  )
}
